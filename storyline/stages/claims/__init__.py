"""Claims: what each document says about relations between actors, and who says it.

The declaration only; the extractor is :mod:`.extract`, the vocabulary
``storyline/data/claim_relations.json``.
"""

from __future__ import annotations

from ...pipeline.declare import Stage
from ...records import Claim, Signal

NAME = "claims"
VERSION = "1"

STAGE = Stage(
    name=NAME,
    version=VERSION,
    run="storyline.stages.claims.extract:run",
    requires=("actors", "quotes"),
    writes=(Claim, Signal),
    help="Claims about relations between actors (ally, support, threaten, ...): subject, object, polarity, "
    "modality and holder (the author, or the speaker of the quote it sits in); a holder's affirmed and denied "
    "claims of one relation are a self-contradiction signal.",
    show=(("claims", ("holder_entity", "subject", "relation", "object", "polarity", "modality", "text")),),
)
