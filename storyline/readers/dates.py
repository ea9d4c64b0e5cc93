"""Publication dates: parse to ISO ``YYYY-MM-DD`` and refuse implausible ones."""

from __future__ import annotations

import datetime as dt
import re

EARLIEST = dt.date(1900, 1, 1)
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def plausible(day: dt.date, today: dt.date | None = None) -> bool:
    """A publication date is plausible from 1900 to today (no future dates)."""
    return EARLIEST <= day <= (today or dt.date.today())


def parse_date(value: object, today: dt.date | None = None) -> str | None:
    """ISO date of ``value`` (a string, date or datetime), or None when unparseable or implausible."""
    day = _to_date(value)
    if day is None or not plausible(day, today):
        return None
    return day.isoformat()


def _to_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    m = _ISO.match(value)
    if m:
        try:
            return dt.date(*(int(g) for g in m.groups()))
        except ValueError:
            return None
    return _fuzzy(value)


def _fuzzy(value: str) -> dt.date | None:
    from dateutil import parser

    if not re.search(r"\d{4}", value):  # a year is required: no guessing from "Monday"
        return None
    try:
        return parser.parse(value, default=dt.datetime(1, 1, 1)).date()
    except (ValueError, OverflowError, TypeError):
        return None
