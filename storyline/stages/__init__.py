"""storyline's own stages, one subpackage or module each.

Each declares itself once (``STAGE = Stage(...)``, see
:mod:`storyline.pipeline.declare`) and is registered in ``pyproject.toml`` under
the entry-point group ``storyline.stages``, as a plugin's stage is. Nothing here
imports them: :func:`storyline.pipeline.registry.stages` does, on demand.
"""
