"""Resolve date expressions ("on Wednesday", "last month", "in 2022") against a document date.

Pure functions, no parsing model: the events stage hands over the text of a
spaCy DATE entity and the document's publication date. Results are ISO strings
at the precision the expression carries: ``YYYY-MM-DD``, ``YYYY-MM`` or
``YYYY``; week expressions ("earlier this week") resolve to the Monday of that
week. ``None`` means the expression could not be placed (a relative expression
without an anchor, or words this module does not know).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

__all__ = ["parse_anchor", "resolve_date"]

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3,
}  # fmt: skip
# Words that do not change where an expression points.
FILLER = re.compile(r"\b(on|in|at|during|the|of|early|earlier|late|later|since|by|from|until|about|around)\b")
PARTS_OF_DAY = re.compile(r"\b(morning|afternoon|evening|night|overnight)\b")
ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
AGO = re.compile(r"^(\w+) (day|week|month|year)s? ago$")
MONTH_DAY = re.compile(r"^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?$")
DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?(?:,? (\d{4}))?$")
MONTH_YEAR = re.compile(r"^([a-z]+)\.?,? (\d{4})$")


def parse_anchor(value: str | date | None) -> date | None:
    """The anchor as a date: an ISO ``YYYY-MM-DD`` string (time part ignored) or a date."""
    if value is None or isinstance(value, date):
        return value
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def resolve_date(expr: str, anchor: str | date | None, *, future: bool = False) -> str | None:
    """Resolve ``expr`` against ``anchor``; ``future`` makes bare weekdays and months look forward.

    >>> resolve_date("on Wednesday", "2024-04-12")
    '2024-04-10'
    >>> resolve_date("in 2022", None)
    '2022'
    """
    text = _normalise(expr)
    if not text:
        return None
    absolute = _absolute(text)
    if absolute:
        return absolute
    day = parse_anchor(anchor)
    if day is None:
        return None
    for rule in (_deictic, _weekday, _calendar_unit, _ago, _month_day, _month):
        found = rule(text, day, future)
        if found:
            return found
    return None


def _normalise(expr: str) -> str:
    text = expr.lower().replace("’", "'").strip(" .,;:")
    text = PARTS_OF_DAY.sub("", FILLER.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


def _absolute(text: str) -> str | None:
    if m := ISO.match(text):
        return text
    if YEAR.match(text):
        return text
    if (m := MONTH_YEAR.match(text)) and m[1] in MONTHS:
        return f"{m[2]}-{MONTHS[m[1]]:02d}"
    for pattern, month_group, day_group in ((MONTH_DAY, 1, 2), (DAY_MONTH, 2, 1)):
        m = pattern.match(text)
        if m and m[3] and m[month_group] in MONTHS:
            return _iso(int(m[3]), MONTHS[m[month_group]], int(m[day_group]))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _deictic(text: str, day: date, future: bool) -> str | None:
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}.get(text)
    return None if offset is None else (day + timedelta(days=offset)).isoformat()


def _weekday(text: str, day: date, future: bool) -> str | None:
    words = text.split()
    if not words or words[-1] not in WEEKDAYS or len(words) > 2:
        return None
    target = WEEKDAYS[words[-1]]
    which = words[0] if len(words) == 2 else ""
    if which in ("next", "coming") or (which == "" and future):
        ahead = (target - day.weekday()) % 7
        if which and ahead == 0:
            ahead = 7
        return (day + timedelta(days=ahead)).isoformat()
    if which not in ("", "last", "this", "past"):
        return None
    back = (day.weekday() - target) % 7
    if which == "last" and back == 0:
        back = 7
    return (day - timedelta(days=back)).isoformat()


def _calendar_unit(text: str, day: date, future: bool) -> str | None:
    m = re.match(r"^(this|last|next|past|previous|coming) (week|month|year)$", text)
    if not m:
        return None
    step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[m[1]]
    unit = m[2]
    if unit == "week":
        monday = day - timedelta(days=day.weekday()) + timedelta(weeks=step)
        return monday.isoformat()
    if unit == "month":
        year, month = _add_months(day.year, day.month, step)
        return f"{year}-{month:02d}"
    return str(day.year + step)


def _add_months(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def _ago(text: str, day: date, future: bool) -> str | None:
    m = AGO.match(text)
    if not m:
        return None
    n = int(m[1]) if m[1].isdigit() else NUMBERS.get(m[1])
    if n is None:
        return None
    if m[2] == "day":
        return (day - timedelta(days=n)).isoformat()
    if m[2] == "week":
        return (day - timedelta(weeks=n)).isoformat()
    if m[2] == "month":
        year, month = _add_months(day.year, day.month, -n)
        return f"{year}-{month:02d}"
    return str(day.year - n)


def _month_day(text: str, day: date, future: bool) -> str | None:
    for pattern, month_group, day_group in ((MONTH_DAY, 1, 2), (DAY_MONTH, 2, 1)):
        m = pattern.match(text)
        if m and m[month_group] in MONTHS:
            month, dom = MONTHS[m[month_group]], int(m[day_group])
            year = day.year
            candidate = _iso(year, month, dom)
            if candidate is None:
                return None
            if future and candidate < day.isoformat():
                return _iso(year + 1, month, dom)
            if not future and candidate > day.isoformat():
                return _iso(year - 1, month, dom)
            return candidate
    return None


def _month(text: str, day: date, future: bool) -> str | None:
    words = text.split()
    if not words or words[-1] not in MONTHS or len(words) > 2:
        return None
    month = MONTHS[words[-1]]
    which = words[0] if len(words) == 2 else ("next" if future else "")
    if which in ("next", "coming"):
        year = day.year if month > day.month else day.year + 1
    elif which == "last":
        year = day.year if month < day.month else day.year - 1
    elif which in ("", "this"):
        year = day.year if month <= day.month or which == "this" else day.year - 1
    else:
        return None
    return f"{year}-{month:02d}"
