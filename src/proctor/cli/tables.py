"""Tables on a terminal of any width, without cutting an id or a word in two.

A table is drawn without borders (two spaces between columns), so that 80 columns hold an
id, a name and a state. Ids, names, states and times never wrap: a wrapped id cannot be
copied and "Schedule d" reads as two words. When the table is wider than the terminal:

1. free-text columns (messages, labels, descriptions) fold at word boundaries, down to
   `FREE_TEXT_MIN` cells;
2. detail columns (times) are left out, rightmost first, and a note on stderr names them
   and says where to see them;
3. names are shortened with an ellipsis, longest first, down to `NAME_MIN` cells;
4. if it still does not fit, the table is printed at the width it needs: ids stay whole.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Columns of free text, which may fold over several lines.
FREE_TEXT_COLUMNS = frozenset(
    {"MESSAGE", "DESCRIPTION", "LABELS", "HELD BY", "PARAMETERS", "RESULT", "TRIGGER", "ACTIONS"}
)
# Columns that may be left out to fit the terminal; other commands (`show`, `--json`)
# still give them.
DETAIL_COLUMNS = frozenset(
    {"SCHEDULED", "STARTED", "ENDED", "CREATED", "UPDATED", "REGISTERED", "LAST HEARTBEAT"}
)
# Columns shortened with an ellipsis as a last resort: never ids, states or numbers.
NAME_COLUMNS = frozenset({"NAME", "FLOW", "PROJECT", "TASK", "TAG/LABEL", "BY", "SLUG"})
FREE_TEXT_MIN = 20
NAME_MIN = 12
GAP = 2  # spaces between two columns


class Markup(str):
    """A table cell that is already rich markup (not escaped again)."""


@dataclass
class Column:
    header: str
    width: int  # the widest cell, header included

    @property
    def shown_width(self) -> int:
        if self.header in FREE_TEXT_COLUMNS:
            return min(self.width, FREE_TEXT_MIN)
        return self.width


def table_width(columns: Sequence[Column]) -> int:
    return sum(column.shown_width for column in columns) + GAP * (len(columns) - 1)


def fit_columns(columns: list[Column], width: int) -> tuple[list[Column], list[str]]:
    """The columns to draw within `width` cells (some names shortened), and the headers
    of the detail columns left out to get there."""
    kept = list(columns)
    left_out: list[str] = []
    while table_width(kept) > width:
        details = [column for column in kept if column.header in DETAIL_COLUMNS]
        if not details:
            break
        kept.remove(details[-1])
        left_out.insert(0, details[-1].header)
    excess = table_width(kept) - width
    names = sorted(
        (column for column in kept if column.header in NAME_COLUMNS),
        key=lambda column: column.width,
        reverse=True,
    )
    for column in names:
        if excess <= 0:
            break
        cut = min(excess, column.width - max(NAME_MIN, len(column.header)))
        if cut > 0:
            column.width -= cut
            excess -= cut
    return kept, left_out


def print_table(title: str | None, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table on stdout (what people asked for: not progress, so not stderr)."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    cells = [
        [cell if isinstance(cell, Markup) else escape(str(cell)) for cell in row] for row in rows
    ]
    columns = [
        Column(
            header, max([cell_len(header)] + [Text.from_markup(row[i]).cell_len for row in cells])
        )
        for i, header in enumerate(headers)
    ]
    console = Console(file=sys.stdout, soft_wrap=False)
    kept, left_out = fit_columns([Column(c.header, c.width) for c in columns], console.width)
    needed = table_width(kept)
    if needed > console.width:
        console = Console(file=sys.stdout, soft_wrap=False, width=needed)
    table = Table(title=title, box=None, pad_edge=False, padding=(0, GAP // 2), header_style="bold")
    positions = []
    for column in kept:
        positions.append(headers.index(column.header))
        if column.header in FREE_TEXT_COLUMNS:
            table.add_column(column.header, overflow="fold")
        else:
            table.add_column(
                column.header, no_wrap=True, overflow="ellipsis", max_width=column.width
            )
    for row in cells:
        table.add_row(*(row[position] for position in positions))
    console.print(table)
    if left_out:
        print(
            f"({', '.join(left_out)} left out to fit {console.width} columns: "
            "see them in a wider terminal or with --json)",
            file=sys.stderr,
        )


__all__ = ["Markup", "fit_columns", "print_table"]
