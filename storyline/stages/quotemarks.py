"""Find quoted spans in text: a pure scanner for quotation marks.

Handles curly and straight double quotes, single quotes, guillemets and low-9
(German) quotes, nesting, quotes that run over several paragraphs (each new
paragraph reopens the quote, the usual typographic convention) and unbalanced
marks: a mark left open is closed at the end of its paragraph and reported with
``closed=False``. Apostrophes (don’t, Russia’s, countries’) are not marks.
"""

from __future__ import annotations

from typing import NamedTuple

# opening mark -> closing marks that end it
PAIRS: dict[str, str] = {
    "\u201c": "\u201d",  # “ ”
    "\u201e": "\u201c\u201d",  # „ “ (German) or „ ”
    "\u00ab": "\u00bb",  # « »
    "\u2018": "\u2019",  # ‘ ’
    "\u201a": "\u2018\u2019",  # ‚ ‘
    "\u2039": "\u203a",  # ‹ ›
    '"': '"',
    "'": "'",
    "''": "",  # closed only by another pair of apostrophes
}
SINGLE = set("\u2018\u201a\u2039'")
CLOSERS = set("\u201d\u00bb\u2019\u203a")
OPEN_BEFORE = set(" \t\n([{\u2014\u2013-/:;,\u201c\u201e\u00ab\u2018\u201a\u2039\"'")


class QuoteSpan(NamedTuple):
    """One quoted span; ``start``/``end`` include the marks themselves."""

    start: int
    end: int
    depth: int
    mark: str
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        width = len(self.mark)
        return self.start + width, self.end - (width if self.closed else 0)


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _opens(text: str, i: int) -> bool:
    """A straight mark opens when it follows a space or an opening character and precedes a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in OPEN_BEFORE or before.isspace()) and not after.isspace()


def _apostrophe(text: str, i: int) -> bool:
    """’ or ' inside a word (don’t), or after a plural s (countries’ plans)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if _is_letter(before) and _is_letter(after):
        return True
    return before.isspace() and after.isdigit()  # ’90s


def _paragraph_end(text: str, i: int) -> int:
    """End of the paragraph holding ``i``, right-trimmed."""
    j = text.find("\n", i)
    j = len(text) if j < 0 else j
    while j > i and text[j - 1].isspace():
        j -= 1
    return j


def scan(text: str) -> list[QuoteSpan]:
    """All quoted spans in ``text``, sorted by start (outer before inner)."""
    spans: list[QuoteSpan] = []
    stack: list[tuple[int, str]] = []  # (offset of opening mark, the mark)

    def close_to(k: int, end: int) -> None:
        """Close stack[k]; marks opened above it are closed unbalanced at ``end``."""
        while len(stack) > k + 1:
            pos, mark = stack.pop()
            spans.append(QuoteSpan(pos, _trim(text, pos, end - 1), len(stack), mark, False))
        pos, mark = stack.pop()
        spans.append(QuoteSpan(pos, end, len(stack), mark, True))

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            i = _newline(text, i, stack, spans)
            continue
        if text.startswith("''", i):  # two apostrophes as a double quote (''Yes,'' he said)
            step = _doubled(text, i, stack, close_to)
            if step:
                i += step
                continue
        k = _closes(text, i, ch, stack)
        if k is not None:
            close_to(k, i + 1)
        elif ch in PAIRS and _may_open(text, i, ch, stack):
            stack.append((i, ch))
        i += 1
    _newline(text, n, stack, spans)
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans


def _doubled(text: str, i: int, stack: list[tuple[int, str]], close_to) -> int:
    k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == "''"), None)
    if k is not None:
        close_to(k, i + 2)
        return 2
    before = text[i - 1] if i > 0 else " "
    after = text[i + 2] if i + 2 < len(text) else " "
    if (before.isspace() or before in OPEN_BEFORE) and not after.isspace():
        stack.append((i, "''"))
        return 2
    return 0


def _closes(text: str, i: int, ch: str, stack: list[tuple[int, str]]) -> int | None:
    """Index in ``stack`` of the open mark that ``ch`` closes, or None."""
    if not stack:
        return None
    top = stack[-1][1]
    if ch in "\u2019'":
        if _apostrophe(text, i) or (i > 0 and text[i - 1].isspace()):
            return None
        return len(stack) - 1 if ch in PAIRS[top] and top in SINGLE else None
    if ch == "\u2018":
        return len(stack) - 1 if top == "\u201a" else None
    for k in range(len(stack) - 1, -1, -1):
        mark = stack[k][1]
        if ch in PAIRS[mark]:
            return k
        if mark not in SINGLE and mark != '"':
            # a double closer may end the double quote around unclosed inner marks
            continue
    return None


def _may_open(text: str, i: int, ch: str, stack: list[tuple[int, str]]) -> bool:
    if ch in "\"'":
        if ch == "'" and _apostrophe(text, i):
            return False
        return _opens(text, i)
    if ch in CLOSERS:
        return False
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == "\u2018" and (_is_letter(text[i - 1]) if i > 0 else False):
        return False  # ‘ used as an apostrophe
    return not after.isspace() or ch in "\u201c\u00ab\u201e"


def _newline(text: str, i: int, stack: list[tuple[int, str]], spans: list[QuoteSpan]) -> int:
    """At a line break: keep quotes the next paragraph reopens, close the rest unbalanced."""
    j = i
    while j < len(text) and text[j].isspace():
        j += 1
    if not stack:
        return max(j, i + 1)
    if stack and j < len(text) and text[j] == stack[0][1] and j > i:
        # multi-paragraph quote: the reopening mark continues the outermost quote
        while len(stack) > 1:
            pos, mark = stack.pop()
            spans.append(QuoteSpan(pos, _trim(text, pos, i), len(stack), mark, False))
        return j + 1
    while stack:
        pos, mark = stack.pop()
        spans.append(QuoteSpan(pos, _trim(text, pos, i), len(stack), mark, False))
    return max(j, i + 1)


def _trim(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end
