"""Scrape residue in plain text: which whole lines are not article text.

Scraped news text often arrives wrapped in page furniture: a first line
``date 2024-04-10 https://...``, the title twice, the site name, bare ISO
timestamps, runs of lower-case tags, image URLs, related-article links,
contact footers, ``1920 1080 true`` image sizes, a trailing ``Call Now``.

``RULES`` is the table of line rules, tried in order on every non-blank line;
the first that matches names the line's rule. Some rules also lift metadata
(title, date, URL, author, keywords, site name) from the line they match.
:func:`classify` only looks; :func:`clean` builds the stored text without the
residue lines and returns every removed piece as a :class:`~.metadata.Cut`
whose offsets point into the decoded input.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..data import load_json
from .metadata import Candidate, Cut, domain_of, split_keywords

NAME = "text-residue"
VERSION = "1"
METHOD = f"{NAME}/{VERSION}"

_NEWLINE = re.compile(r"\r\n|\r|\n")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_IMAGE_URL = re.compile(r"^(?:https?:)?//\S+?(?:\.(?:jpe?g|png|gif|webp|svg|avif|bmp)(?:[?#]\S*)?|/img/\S*)$", re.I)
_HEADER = re.compile(r"^date\s+(\S+)(?:\s+(https?://\S+))?$", re.I)
_ISO_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$", re.I
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+\d[\d ()./-]{7,}\d")
_DIMENSIONS = re.compile(r"^\d{2,5}\s+\d{2,5}\s+(?:true|false)$", re.I)
_LOCALE = re.compile(r"^[a-z]{2,3}[_-][A-Za-z]{2}$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_NAME_WORD = r"(?:[A-Z][\w'’.-]*[a-z][\w'’.-]*|[A-Z]\.)"
_PARTICLE = r"(?:de|da|del|der|di|van|von|al|bin|le|la|du)"
_PERSON = re.compile(rf"^{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_PARTICLE})){{1,3}}$")
_BYLINE = re.compile(rf"^by\s+({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_PARTICLE})){{1,3}})(?:\s*[,|].*)?$", re.I)
_TAG = re.compile(r"^[a-z0-9][a-z0-9 '’&./-]*$")
_TITLE_END = re.compile(r"[.,;:]$")
_SENTENCE_END = re.compile(r"[.!?…\"”’»)]$")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "MARISK, March 3, 2026 (Wire) -": a dateline opening the body.
_DATELINE = re.compile(rf"^[A-Z][A-Z .'’-]{{1,40}}(?:,\s*[A-Z][\w .]{{0,30}})?,\s*({_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})")
MAX_TAG_WORDS = 5
MIN_TAG_RUN = 3
MAX_TITLE_WORDS = 30


@functools.cache
def lexicon() -> dict[str, frozenset[str]]:
    data = load_json("residue.json")
    return {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}


@dataclass(frozen=True)
class Line:
    """One line of the input: ``text`` is stripped, ``start``/``end`` locate it in the input."""

    index: int  # 0-based position among all lines
    number: int  # 1-based line number
    start: int
    end: int
    text: str
    raw: str  # the whole line without its line break


@dataclass
class Page:
    """What the rules may know about the whole input besides the line at hand."""

    lines: list[Line]
    header: int | None = None
    title: int | None = None
    domain: str | None = None
    tag_run: set[int] = field(default_factory=set)
    site_names: set[str] = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)
    tail: int = 0  # lines from this index on come after the last body-like line
    known_title: str | None = None  # a title known from elsewhere (the HTML head)


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for i, m in enumerate([*_NEWLINE.finditer(text), None]):
        end = m.start() if m else len(text)
        raw = text[pos:end]
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        lines.append(Line(i, i + 1, pos + lead, pos + lead + len(stripped), stripped, raw))
        if m is None:
            break
        pos = m.end()
    return lines


def _words(text: str) -> int:
    return len(text.split())


def body_like(text: str) -> bool:
    """A line that reads like prose: long, or a sentence."""
    return _words(text) >= 8 or (_words(text) >= 3 and bool(_SENTENCE_END.search(text)))


def _tag_like(text: str) -> bool:
    return bool(_TAG.match(text)) and _words(text) <= MAX_TAG_WORDS and len(text) <= 40


def heading(text: str) -> str:
    """A line without its Markdown heading marks."""
    return text.lstrip("#").strip() if text.startswith("#") else text


def _is_title(line: Line, following: list[Line]) -> bool:
    text = heading(line.text)
    if not following or _TITLE_END.search(text) or _URL.match(text) or _ISO_TIME.match(text):
        return False
    if _words(text) > MAX_TITLE_WORDS or len(text) > 250 or not text[:1].isupper():
        return False
    return any(body_like(f.text) for f in following)


def read_page(lines: list[Line], title: str | None = None) -> Page:
    content = [ln for ln in lines if ln.text]
    page = Page(lines=lines, counts=Counter(ln.text.casefold() for ln in content), known_title=title)
    rest = content
    if content and _HEADER.match(content[0].text):
        page.header = content[0].index
        url = _HEADER.match(content[0].text).group(2)
        page.domain = domain_of(url) if url else None
        rest = content[1:]
    if rest and _is_title(rest[0], rest[1:]) and _followed_by_break(lines, rest[0]):
        page.title = rest[0].index
    page.tag_run = _tag_runs(content)
    page.site_names = _site_names(content)
    body = [ln.index for ln in content if body_like(ln.text) and ln.index not in page.tag_run]
    page.tail = body[-1] + 1 if body else 0
    return page


def _followed_by_break(lines: list[Line], line: Line) -> bool:
    nxt = lines[line.index + 1] if line.index + 1 < len(lines) else None
    return nxt is None or not nxt.text or nxt.text == line.text


def _tag_runs(content: list[Line]) -> set[int]:
    runs: set[int] = set()
    run: list[int] = []
    for ln in [*content, None]:
        if ln is not None and _tag_like(ln.text):
            run.append(ln.index)
            continue
        if len(run) >= MIN_TAG_RUN:
            runs.update(run)
        run = []
    return runs


def _site_names(content: list[Line]) -> set[str]:
    """Site names seen in contact footers: the words before the e-mail address."""
    names = set()
    for ln in content:
        m = _EMAIL.search(ln.text)
        if m and _is_footer(ln.text):
            prefix = ln.text[: m.start()].strip(" -|·,")
            if 0 < _words(prefix) <= 4:
                names.add(prefix.casefold())
    return names


def _is_footer(text: str) -> bool:
    return bool(_EMAIL.search(text) or _PHONE.search(text)) and _words(text) <= 25 and not text.endswith(".")


def _bare(text: str) -> str:
    return text.strip(" .!:·|»>-").casefold()


# ---- the rule predicates: (line, page) -> bool -------------------------------------------


def is_header(ln: Line, page: Page) -> bool:
    return ln.index == page.header


def is_title(ln: Line, page: Page) -> bool:
    return ln.index == page.title


def is_title_repeat(ln: Line, page: Page) -> bool:
    if page.known_title and heading(ln.text).casefold() == page.known_title.strip().casefold():
        return True
    return page.title is not None and ln.index > page.title and ln.text == page.lines[page.title].text


def is_call_to_action(ln: Line, page: Page) -> bool:
    return _words(ln.text) <= 6 and _bare(ln.text) in lexicon()["call_to_action"]


def is_section_label(ln: Line, page: Page) -> bool:
    return _words(ln.text) <= 4 and _bare(ln.text) in lexicon()["section_labels"]


def is_site_name(ln: Line, page: Page) -> bool:
    if ln.text.casefold() in page.site_names:
        return True
    first = ln.text.split()[0].casefold()
    label = (page.domain or "").split(".")[0]
    return (
        _words(ln.text) <= 4
        and len(first) >= 4
        and label.startswith(first)
        and not body_like(ln.text)
        and all(w[:1].isupper() for w in ln.text.split())
    )


def is_contact_footer(ln: Line, page: Page) -> bool:
    return _is_footer(ln.text)


def is_byline(ln: Line, page: Page) -> bool:
    return bool(_BYLINE.match(ln.text))


def is_author_name(ln: Line, page: Page) -> bool:
    if not _PERSON.match(ln.text) or len(ln.text) > 40:
        return False
    return page.counts[ln.text.casefold()] >= 2 or ln.index >= page.tail > 0


def is_keyword_list(ln: Line, page: Page) -> bool:
    items = [p.strip() for p in ln.text.split(",")]
    return len(items) >= 3 and not ln.text.endswith(".") and all(p and _tag_like(p) for p in items)


RULES: tuple[tuple[str, Callable[[Line, Page], bool]], ...] = (
    ("date-url-header", is_header),
    ("call-to-action", is_call_to_action),
    ("title", is_title),
    ("title-repeat", is_title_repeat),
    ("iso-timestamp", lambda ln, page: bool(_ISO_TIME.match(ln.text))),
    ("image-url", lambda ln, page: bool(_IMAGE_URL.match(ln.text))),
    ("related-link", lambda ln, page: bool(_URL.match(ln.text))),
    ("contact-footer", is_contact_footer),
    ("site-name", is_site_name),
    ("image-dimensions", lambda ln, page: bool(_DIMENSIONS.match(ln.text))),
    ("locale", lambda ln, page: bool(_LOCALE.match(ln.text))),
    ("bare-year", lambda ln, page: bool(_YEAR.match(ln.text))),
    ("section-label", is_section_label),
    ("byline", is_byline),
    ("author-name", is_author_name),
    ("keyword-list", is_keyword_list),
    ("tag-run", lambda ln, page: ln.index in page.tag_run),
)


def rule_of(ln: Line, page: Page) -> str | None:
    """The name of the first rule matching ``ln``, or None for article text."""
    if not ln.text:
        return None
    for name, matches in RULES:
        if matches(ln, page):
            return name
    return None


def classify(text: str, title: str | None = None) -> list[tuple[Line, str | None]]:
    """Every line of ``text`` with the rule that marks it as residue (None: keep it).

    ``title``, when known from elsewhere, marks lines repeating it.
    """
    lines = split_lines(text)
    page = read_page(lines, title)
    return [(ln, rule_of(ln, page)) for ln in lines]


# ---- metadata lifted from residue lines --------------------------------------------------


def lift(classified: Iterable[tuple[Line, str | None]]) -> Iterator[Candidate]:
    """Metadata candidates from the residue lines; keywords are merged into one candidate."""
    keywords: list[str] = []
    classified = list(classified)
    first_body = next((ln for ln, rule in classified if ln.text and rule is None), None)
    dateline = _DATELINE.match(first_body.text) if first_body else None
    if dateline:
        yield Candidate("published", dateline.group(1), f"{METHOD}:dateline", 0.6)
    for ln, rule in classified:
        method = f"{METHOD}:{rule}"
        if rule == "date-url-header":
            m = _HEADER.match(ln.text)
            yield Candidate("published", m.group(1), method, 0.9)
            if m.group(2):
                yield Candidate("url", m.group(2), method, 0.95)
        elif rule == "title":
            yield Candidate("title", heading(ln.text), method, 0.8)
        elif rule == "iso-timestamp":
            yield Candidate("published", ln.text, method, 0.7)
        elif rule == "contact-footer":
            m = _EMAIL.search(ln.text)
            if m and ln.text[: m.start()].strip():
                yield Candidate("sitename", ln.text[: m.start()].strip(" -|·,"), method, 0.6)
        elif rule == "site-name":
            yield Candidate("sitename", ln.text, method, 0.7)
        elif rule == "byline":
            yield Candidate("author", _BYLINE.match(ln.text).group(1), method, 0.85)
        elif rule == "author-name":
            yield Candidate("author", ln.text, method, 0.7)
        elif rule in ("tag-run", "keyword-list"):
            keywords.extend(split_keywords(ln.text))
    if keywords:
        yield Candidate("keywords", ", ".join(keywords), f"{METHOD}:tags", 0.6)


# ---- the stored text ---------------------------------------------------------------------


def clean(text: str, title: str | None = None) -> tuple[str, list[Cut], list[Candidate]]:
    """(stored text, removed pieces, lifted metadata) of a decoded plain-text input.

    Kept lines keep their content (trailing spaces aside); paragraphs stay
    separated by one blank line, lines of one paragraph by one line break.
    """
    classified = classify(text, title)
    kept: list[str] = []
    cuts: list[Cut] = []
    gap = False
    for ln, rule in classified:
        if rule is not None:
            cuts.append(Cut(ln.start, ln.end, ln.number, ln.text, f"{METHOD}:{rule}"))
            gap = True
        elif not ln.text:
            gap = True
        else:
            if kept:
                kept.append("\n\n" if gap else "\n")
            kept.append(ln.raw.rstrip())
            gap = False
    return "".join(kept), cuts, list(lift(classified))
