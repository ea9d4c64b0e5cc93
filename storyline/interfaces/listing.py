"""What the listing verbs share: their options, built from the filters the query layer declares
(``storyline.query.FILTERS``), and their output as a rich table or JSON Lines. Stored text is
always printed as text, never read as rich markup."""

from __future__ import annotations

import json
from typing import Callable, Iterable

import click

# Columns that must stay whole on one line (ids are copied from here into other commands).
NO_WRAP = {"id", "doc_id", "date", "published", "start", "end"}


def filter_options(listing: str) -> Callable[[Callable], Callable]:
    """The options of a listing, built from the filters it declares (storyline.query.FILTERS):
    ``--NAME`` for the keyword argument NAME, with its help and type."""
    from ..query import FILTERS

    def decorate(f: Callable) -> Callable:
        for flt in reversed(FILTERS[listing]):
            f = click.option(
                flt.option, flt.name, type=_click_type(flt), default=flt.default, metavar=_METAVARS.get(flt.type),
                show_default=flt.default is not None, help=flt.help,
            )(f)
        return f

    return decorate


_METAVARS = {"date": "YYYY-MM-DD", "doc": "ID", "text": "TEXT", "int": "N"}


def _click_type(flt):
    if flt.type == "int":
        return click.IntRange(min=1)
    if flt.type == "choice":
        return click.Choice(flt.choices)
    return str  # dates and document ids are checked by the query layer, with the same message everywhere


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return value.get("name") or value.get("text") or json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return str(value)


# Control characters in stored text are shown as their pictures (U+2400…), not sent to the terminal:
# an ESC in a document must not recolour or retitle the user's terminal. Tab and newline stay.
_PICTURES = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)} | {0x7F: 0x2421} | {c: 0xFFFD for c in range(0x80, 0xA0)}


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters as visible pictures, one for one."""
    return text.translate(_PICTURES)


def _text(value):
    """A cell as rich Text: stored text is never read as markup ("[sic]", "[/b]", "[red]" print as
    they are) and its control characters are shown, not obeyed. A Text given is kept (its styles too)."""
    from rich.text import Text

    if isinstance(value, Text):
        return Text(printable(value.plain), spans=value.spans, style=value.style)  # one for one: spans still fit
    return Text(printable(_cell(value)))


def _console():
    from rich.console import Console

    return Console(width=max(120, Console().width), highlight=False)


def emit(rows: Iterable[dict], fmt: str, columns: list[str], title: str | None = None,
         cells: dict[str, Callable[[dict], object]] | None = None) -> None:
    """Print rows as a rich table or as JSON Lines. ``cells``: how a column's cell is made from a row
    (a str or a rich Text) instead of from its value. Every value is shown as text, never as markup."""
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    from rich.table import Table
    from rich.text import Text

    cells = cells or {}
    table = Table(title=Text(title) if title else None, show_lines=False)
    for col in columns:
        table.add_column(Text(col), overflow="fold", no_wrap=col in NO_WRAP)
    n = 0
    for row in rows:
        table.add_row(*(_text(cells[c](row) if c in cells else row.get(c)) for c in columns))
        n += 1
    console = _console()
    if n:
        console.print(table)
    else:
        console.print(Text(f"No {title or 'rows'}."))


def highlighted(hit: dict):
    """A search hit's snippet with its matched words in bold (styles, not markup)."""
    from rich.text import Text

    text = Text(printable(hit["snippet"]))
    for start, end in hit.get("highlights", ()):
        text.stylize("bold reverse", start, end)
    return text
