"""Rejections: inputs that cannot become documents, with a reason code.

:func:`reject` is the one place a reader makes a Rejection: the message is the
reason's text and the detail, capped by :func:`storyline.errors.rejection_message`,
and the source path is made storable (:func:`~storyline.readers.paths.display_path`).
"""

from __future__ import annotations

from ..errors import REASONS, rejection_message
from ..records import Rejection
from .paths import display_path


def reject(source_path: str, reason: str, detail: str = "") -> Rejection:
    assert reason in REASONS, reason
    return Rejection(source_path=display_path(source_path), reason=reason, message=rejection_message(reason, detail))
