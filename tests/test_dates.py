"""Pure tests of storyline.dates: relative expressions against a document date."""

from __future__ import annotations

import pytest

from storyline.dates import parse_anchor, resolve_date

ANCHOR = "2024-04-10"  # a Wednesday


@pytest.mark.parametrize(
    ("expr", "future", "expected"),
    [
        ("on Wednesday", False, "2024-04-10"),
        ("Monday", False, "2024-04-08"),
        ("on Friday", False, "2024-04-05"),
        ("on Friday", True, "2024-04-12"),
        ("last Wednesday", False, "2024-04-03"),
        ("next Monday", False, "2024-04-15"),
        ("Tuesday night", False, "2024-04-09"),
        ("today", False, "2024-04-10"),
        ("yesterday", False, "2024-04-09"),
        ("tomorrow", False, "2024-04-11"),
        ("earlier this week", False, "2024-04-08"),
        ("last week", False, "2024-04-01"),
        ("last month", False, "2024-03"),
        ("this year", False, "2024"),
        ("last year", False, "2023"),
        ("in 2022", False, "2022"),
        ("last November", False, "2023-11"),
        ("in March", False, "2024-03"),
        ("March 5", False, "2024-03-05"),
        ("June 30", False, "2023-06-30"),
        ("June 30", True, "2024-06-30"),
        ("5 March 2023", False, "2023-03-05"),
        ("March 2023", False, "2023-03"),
        ("two weeks ago", False, "2024-03-27"),
        ("3 days ago", False, "2024-04-07"),
        ("2024-03-01", False, "2024-03-01"),
    ],
)
def test_dates_resolve(expr, future, expected):
    assert resolve_date(expr, ANCHOR, future=future) == expected


@pytest.mark.parametrize("expr", ["the weekend", "two days", "24-hour", "", "the 1990s", "February 30"])
def test_dates_unknown_is_none(expr):
    assert resolve_date(expr, ANCHOR) is None


@pytest.mark.parametrize(
    ("expr", "expected"),
    [("on Wednesday", None), ("last month", None), ("in 2022", "2022"), ("5 March 2023", "2023-03-05")],
)
def test_dates_without_anchor_only_absolute(expr, expected):
    assert resolve_date(expr, None) == expected


@pytest.mark.parametrize(("value", "ok"), [("2024-04-10", True), ("2024-04-10T02:11+0000", True), ("April", False), (None, False)])
def test_dates_parse_anchor(value, ok):
    assert (parse_anchor(value) is not None) is ok
