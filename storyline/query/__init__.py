"""The query layer: one module per area, each a set of functions ``(con, **filters) -> Iterator[dict]``
building parameterised SQL from the filters its listing declares (:class:`~.base.Filter`).

``Corpus`` (the Python API), the CLI and the HTTP API call these same functions with the same filter
names; ``FILTERS`` gives each listing's declarations, from which the CLI builds its options.
"""

from __future__ import annotations

from .actors import ACTORS, actors
from .claims import CLAIMS, SIGNALS, claims, signals
from .base import Filter, shape
from .documents import DOCS, SEARCH, docs, document, overview, rejections, resolve_id, search, show, stats
from .events import EVENTS, TIMELINE, events, timeline
from .quotes import QUOTES, quotes
from .tables import records

__all__ = [
    "Filter", "FILTERS", "shape", "docs", "document", "resolve_id", "show", "search", "rejections", "stats",
    "overview", "actors", "quotes", "events", "timeline", "records", "claims", "signals",
]

# Each listing's filters, in the order of its keyword arguments and CLI options.
FILTERS: dict[str, tuple[Filter, ...]] = {
    "docs": DOCS,
    "search": SEARCH,
    "actors": ACTORS,
    "quotes": QUOTES,
    "events": EVENTS,
    "timeline": TIMELINE,
    "claims": CLAIMS,
    "signals": SIGNALS,
}
