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
from typing import Any, ClassVar


def content_id(*parts: object, length: int = 16) -> str:
    """A stable id from content: the same parts always give the same id."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def ref(as_: str) -> Any:
    """A field holding an entity id (default None). ``as_`` names it in listings
    (``speaker_entity_id`` is shown as ``speaker_entity``: the actor's id and name).
    The entity merge rewrites every such field of every record type: nothing else
    keeps a list of them."""
    return field(default=None, metadata={"ref": "entities", "as": as_})


def merged(rule: str, default: Any = None) -> Any:
    """An Entity field with the rule that merges two rows of one actor:
    ``first`` (the older row's), ``set`` (the first non-empty), ``longest``, ``union`` (of tuples)."""
    return field(default=default, metadata={"merge": rule})


def references(cls: type["Record"]) -> list[str]:
    """The fields of ``cls`` that hold an entity id."""
    return [f.name for f in fields(cls) if f.metadata.get("ref") == "entities"]


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
    entity_id: str | None = ref("entity")
    method: str = ""


@dataclass(frozen=True)
class Entity(Record):
    """A canonical actor, shared across the corpus (id from its canonical key)."""

    __table__ = "entities"
    __key__ = ("id",)
    __indexes__ = ("name",)

    id: str = merged("first", "")
    name: str = merged("longest", "")
    kind: str = merged("first", "")  # person, country, organisation, place, group
    country: str | None = merged("set")  # ISO 3166 alpha-3
    sector: str | None = merged("set")  # PLOVER sector: GOV, MIL, MED, BUS, CVL, ...
    role: str | None = merged("set")
    aliases: tuple[str, ...] = merged("union", ())
    method: str = merged("set", "")


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
    speaker_entity_id: str | None = ref("speaker_entity")
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
    source_entity_id: str | None = ref("source")
    target_entity_id: str | None = ref("target")
    date: str | None = None  # ISO date, or YYYY-MM / YYYY when that is all we know
    place: str | None = None
    modality: str = "asserted"  # asserted, negated, hypothetical, future, reported
    reported_by_entity_id: str | None = ref("reported_by")
    confidence: float = 0.0
    method: str = ""
    context: str | None = None  # PLOVER context, e.g. "military", "economic"


@dataclass(frozen=True)
class Claim(Record):
    """A claim a document makes about a relation between actors, and who holds it.

    ``start``/``end`` bound the clause that states it; ``trigger`` is the word that names the relation
    ("allies", "threatened"). ``holder_kind`` is ``author`` (the document's own voice) or ``speaker`` (inside a
    quote: ``holder_*`` is the quote's speaker).
    """

    __table__ = "claims"
    __key__ = ("doc_id", "trigger_start", "subject_start")
    __indexes__ = ("relation", "subject_entity_id", "object_entity_id", "holder_entity_id")

    doc_id: str
    relation: str  # from data/claim_relations.json: ally, partner, cooperate, support, oppose, ...
    polarity: str  # affirmed, denied
    modality: str  # asserted, hedged, hypothetical, future, reported
    start: int
    end: int
    text: str
    trigger_start: int
    trigger_end: int
    trigger_text: str
    subject_start: int
    subject_end: int
    subject_text: str
    subject_entity_id: str | None = ref("subject")
    object_start: int | None = None
    object_end: int | None = None
    object_text: str | None = None
    object_entity_id: str | None = ref("object")
    holder_kind: str = "author"  # author, speaker
    holder_start: int | None = None
    holder_end: int | None = None
    holder_text: str | None = None
    holder_entity_id: str | None = ref("holder_entity")
    cue_text: str | None = None  # the word that decided polarity or modality ("not", "unlikely", "no proof")
    confidence: float = 0.0
    method: str = ""


@dataclass(frozen=True)
class Signal(Record):
    """Something a reader should weigh about a document, with its evidence spans.

    ``evidence`` holds character spans flat: (start0, end0, start1, end1, ...).
    """

    __table__ = "signals"
    __key__ = ("doc_id", "kind", "start")
    __indexes__ = ("kind",)

    doc_id: str
    kind: str  # self-contradiction, ...
    start: int
    end: int
    detail: str
    evidence: tuple[int, ...] = ()
    score: float = 0.0
    method: str = ""

    def spans(self) -> list[tuple[int, int]]:
        e = self.evidence
        return [(e[i], e[i + 1]) for i in range(0, len(e), 2)]


@dataclass(frozen=True)
class StageRun(Record):
    """Which version of a stage ran on a document, with which options (JSON)."""

    __table__ = "stage_runs"
    __key__ = ("doc_id", "stage")
    __indexes__ = ("stage",)

    doc_id: str
    stage: str
    version: str
    options: str = "{}"


# Records every corpus has, whatever stages are installed; the stages add theirs
# (``storyline.pipeline.registry.record_types``). Readers make the first four.
BASE_RECORDS: tuple[type[Record], ...] = (Document, MetaField, Residue, Rejection, Entity, StageRun)


@dataclass
class Analysis:
    """What reading and analysis produce for one document.

    Stages add records (``add``, or the lists ``sentences``, ``mentions``,
    ``quotes``, ``events``); ``entities`` maps entity id to Entity.
    """

    document: Document
    meta: list[MetaField] = field(default_factory=list)
    residue: list[Residue] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    by_type: dict[type[Record], list[Record]] = field(default_factory=dict)

    def of(self, cls: type[Record]) -> list:
        """The (mutable) list of this document's records of type ``cls``."""
        return self.by_type.setdefault(cls, [])

    def add(self, *records: Record) -> None:
        for record in records:
            self.of(type(record)).append(record)

    def entity(self, entity_id: str | None) -> Entity | None:
        return self.entities.get(entity_id) if entity_id else None

    def records(self, types: tuple[type[Record], ...] | None = None) -> list[Record]:
        """The document, its metadata and residue, and every stage's records (only ``types`` if given)."""
        if types is not None:
            return [r for cls in types if cls not in (Document, MetaField, Residue) for r in self.by_type.get(cls, ())]
        out: list[Record] = [self.document, *self.meta, *self.residue]
        for rows in self.by_type.values():
            out.extend(rows)
        return out


def _records_property(cls: type[Record]) -> property:
    def get(self: Analysis) -> list:
        return self.of(cls)

    def put(self: Analysis, rows: list) -> None:
        self.by_type[cls] = list(rows)

    return property(get, put, doc=f"This document's {cls.__name__} records.")


Analysis.sentences = _records_property(Sentence)  # type: ignore[attr-defined]
Analysis.mentions = _records_property(Mention)  # type: ignore[attr-defined]
Analysis.quotes = _records_property(Quote)  # type: ignore[attr-defined]
Analysis.events = _records_property(Event)  # type: ignore[attr-defined]
