"""The national bracket's layout: rounds side by side, each tie in line with the two it joins.

On a wide screen the bracket is a CSS grid: a column per round, as many equal rows as the
first round has ties. A tie of round r spans rows/len(r) rows, so when each round halves the
one before, a tie sits exactly between its two feeders and the lines joining them (drawn in
CSS from these cells' `join` and `fed`) meet. A round that does not halve the one before (a
final group of four fed by quarterfinals, say) is laid out the same way, without lines.
On a phone the grid is not used: rounds stack, one tie under the other.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ROUND_TITLES = {2: _("Semifinals"), 4: _("Quarterfinals"), 8: _("Round of 16")}


@dataclass(frozen=True)
class Cell:
    """A tie or group of the bracket and where it sits in the grid."""

    item: object  # the page's Block: the group and its table
    row: int
    span: int
    join: str  # "down" (first of a pair), "up" (second), "" (no line to the next round)
    fed: bool  # a line comes in from the previous round


@dataclass(frozen=True)
class Round:
    number: int
    column: int
    title: str
    cells: list[Cell]


def round_title(number: int, count: int, *, last: bool, tie: bool) -> str:
    """A round's heading from its shape: the last single group is the final, etc."""
    if last and count == 1:
        return _("Final") if tie else _("Final group")
    return ROUND_TITLES.get(count) or _("Round %(number)s") % {"number": number}


def layout(items_by_round: dict[int, list]) -> list[Round]:
    """Place each round's items (the page's blocks, in order) in the bracket's grid."""
    numbers = sorted(items_by_round)
    rows = max((len(items) for items in items_by_round.values()), default=0)
    counts = [len(items_by_round[n]) for n in numbers]
    rounds = []
    for index, number in enumerate(numbers):
        items = items_by_round[number]
        span = rows // len(items) if rows % len(items) == 0 else 1
        joins = index + 1 < len(numbers) and counts[index + 1] * 2 == len(items)
        fed = index > 0 and counts[index - 1] == 2 * len(items)
        cells = [
            Cell(
                item,
                row=2 + position * span,  # row 1 holds the rounds' headings
                span=span,
                join=("down" if position % 2 == 0 else "up") if joins else "",
                fed=fed,
            )
            for position, item in enumerate(items)
        ]
        last = index == len(numbers) - 1
        title = round_title(number, len(items), last=last, tie=items[0].group.is_tie)
        rounds.append(Round(number, index + 1, title, cells))
    return rounds
