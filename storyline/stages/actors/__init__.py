"""The actors stage: canonical people, countries, organisations, places and groups.

This module only declares the stage (importing it imports no spaCy); the work is in
:mod:`.extract` (the stage's ``run``, and helpers later stages read: ``entity_at``,
``mentions_in``, ``person_role``, ``gender_of``), :mod:`.readings` (what one mention
names), :mod:`.roles` (titles and appositions) and :mod:`.coref` (role nouns, genders).
"""

from __future__ import annotations

from ...pipeline.declare import Stage
from ...records import Entity, Mention

NAME = "actors"
VERSION = "1"

STAGE = Stage(
    name=NAME,
    version=VERSION,
    run="storyline.stages.actors.extract:run",
    requires=("parse",),
    writes=(Mention, Entity),
    help="Canonical actors (people, countries, organisations, places) with roles and affiliations; links mentions to them.",
)
