"""The one record schema.

Every fact storyline produces is one of these frozen dataclasses. The database
schema is derived from them (``storyline.store``), never written twice. Each
record class names its table and its key; offsets are character offsets into
``Document.text`` (the stored text), end-exclusive, so ``text[start:end]`` is the
evidence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import ClassVar


def content_id(*parts: object, length: int = 16) -> str:
    """A stable id from content: the same parts always give the same id."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class Record:
    __table__: ClassVar[str] = ""
    __key__: ClassVar[tuple[str, ...]] = ()
    # Columns that get an index, besides the key.
    __indexes__: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Document(Record):
    """One document: its stored text and the metadata lifted from it."""

    __table__ = "documents"
    __key__ = ("id",)
    __indexes__ = ("published", "domain")

    id: str
    text: str
    source_path: str
    external_id: str | None = None
    title: str | None = None
    url: str | None = None
    domain: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    author: str | None = None
    keywords: tuple[str, ...] = ()
    language: str | None = None
    n_chars: int = 0
    verbatim: bool = False
    reader: str = ""  # which reader produced it, with version


@dataclass(frozen=True)
class MetaField(Record):
    """One metadata value with its provenance: which reader or rule set it."""

    __table__ = "metadata"
    __key__ = ("doc_id", "field")

    doc_id: str
    field: str
    value: str
    method: str
    confidence: float


@dataclass(frozen=True)
class Residue(Record):
    """A piece of the input removed from the stored text, and the rule that removed it.

    Offsets point into the input as decoded, before cleaning (``Document.text``
    does not contain it any more).
    """

    __table__ = "residue"
    __key__ = ("doc_id", "start")

    doc_id: str
    start: int
    end: int
    line: int
    text: str
    rule: str


@dataclass(frozen=True)
class Rejection(Record):
    """An input that could not become a document, with a reason code."""

    __table__ = "rejections"
    __key__ = ("source_path",)

    source_path: str
    reason: str  # a code from storyline.errors.REASONS
    message: str


@dataclass(frozen=True)
class Sentence(Record):
    __table__ = "sentences"
    __key__ = ("doc_id", "start")

    doc_id: str
    start: int
    end: int
    # Token boundaries relative to ``start``, flat: (start0, end0, start1, end1, ...).
    tokens: tuple[int, ...] = ()

    def token_spans(self) -> list[tuple[int, int]]:
        """Absolute (start, end) offsets of each token in the document text."""
        t = self.tokens
        return [(self.start + t[i], self.start + t[i + 1]) for i in range(0, len(t), 2)]


@dataclass(frozen=True)
class Mention(Record):
    """A span naming something; ``entity_id`` links it to a canonical Entity."""

    __table__ = "mentions"
    __key__ = ("doc_id", "start", "end")
    __indexes__ = ("entity_id",)

    doc_id: str
    start: int
    end: int
    text: str
    label: str  # spaCy label (PERSON, GPE, ORG, NORP, ...) or a stage's own
    entity_id: str | None = None
    method: str = ""


@dataclass(frozen=True)
class Entity(Record):
    """A canonical actor, shared across the corpus (id from its canonical key)."""

    __table__ = "entities"
    __key__ = ("id",)
    __indexes__ = ("name",)

    id: str
    name: str
    kind: str  # person, country, organisation, place, group
    country: str | None = None  # ISO 3166 alpha-3
    sector: str | None = None  # PLOVER sector: GOV, MIL, MED, BUS, CVL, ...
    role: str | None = None
    aliases: tuple[str, ...] = ()
    method: str = ""


@dataclass(frozen=True)
class Quote(Record):
    __table__ = "quotes"
    __key__ = ("doc_id", "content_start", "content_end")
    __indexes__ = ("speaker_entity_id",)

    doc_id: str
    kind: str  # direct, indirect, mixed
    content_start: int
    content_end: int
    content_text: str
    cue_start: int | None = None
    cue_end: int | None = None
    cue_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_text: str | None = None
    speaker_entity_id: str | None = None
    confidence: float = 0.0
    method: str = ""


@dataclass(frozen=True)
class Event(Record):
    __table__ = "events"
    __key__ = ("doc_id", "trigger_start", "type")
    __indexes__ = ("type", "date", "source_entity_id", "target_entity_id")

    doc_id: str
    type: str  # PLOVER event type
    trigger_start: int
    trigger_end: int
    trigger_text: str
    sentence_start: int
    sentence_end: int
    source_entity_id: str | None = None
    target_entity_id: str | None = None
    date: str | None = None  # ISO date, or YYYY-MM / YYYY when that is all we know
    place: str | None = None
    modality: str = "asserted"  # asserted, negated, hypothetical, future, reported
    reported_by_entity_id: str | None = None
    confidence: float = 0.0
    method: str = ""
    context: str | None = None  # PLOVER context, e.g. "military", "economic"


# Per-document records written in the same transaction as their Document.
DOCUMENT_RECORDS: tuple[type[Record], ...] = (
    MetaField,
    Residue,
    Sentence,
    Mention,
    Quote,
    Event,
)
# Every table, in creation order.
ALL_RECORDS: tuple[type[Record], ...] = (
    Document,
    *DOCUMENT_RECORDS,
    Entity,
    Rejection,
)


@dataclass
class Analysis:
    """What reading and analysis produce for one document.

    Stages append records; ``entities`` maps entity id to Entity.
    """

    document: Document
    meta: list[MetaField] = field(default_factory=list)
    residue: list[Residue] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def entity(self, entity_id: str | None) -> Entity | None:
        return self.entities.get(entity_id) if entity_id else None

    def records(self) -> list[Record]:
        return [
            self.document,
            *self.meta,
            *self.residue,
            *self.sentences,
            *self.mentions,
            *self.quotes,
            *self.events,
        ]
