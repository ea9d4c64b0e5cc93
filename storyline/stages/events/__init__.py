"""The events stage: PLOVER events, who did what to whom, when, where, and how surely.

This module only declares the stage (importing it imports no spaCy); the work is in
:mod:`.extract` (the stage's ``run``), with triggers (:mod:`.triggers`), source and
target (:mod:`.roles`), modality (:mod:`.modality`) and PLOVER context (:mod:`.context`).
"""

from __future__ import annotations

from ...pipeline.declare import Stage
from ...records import Event

NAME = "events"
VERSION = "1"

STAGE = Stage(
    name=NAME,
    version=VERSION,
    run="storyline.stages.events.extract:run",
    requires=("actors", "quotes"),
    writes=(Event,),
    help="PLOVER events: who did what to whom, with date, place, context and modality; the reporter from the quotes.",
    show=(("events", ("date", "type", "source", "target", "trigger", "modality")),),
)
