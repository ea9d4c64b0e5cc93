"""Rejections: inputs that cannot become documents, with a reason code."""

from __future__ import annotations

from ..errors import REASONS, rejection_message
from ..records import Rejection


def reject(source_path: str, reason: str, detail: str = "") -> Rejection:
    assert reason in REASONS, reason
    return Rejection(source_path=source_path, reason=reason, message=rejection_message(reason, detail))
