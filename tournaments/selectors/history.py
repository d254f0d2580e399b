"""Corrections: every change made to a result after it had been confirmed.

A match's history (django-simple-history) keeps a row per save. A correction is a saved
version whose previous version had a confirmed result (played or awarded) and whose score,
status or penalties differ from it: a result changed, awarded, or taken back after it counted.
Saves that touched only the kickoff, the ground or the confirmation are not corrections.
The previous version is found in SQL (LAG over each match's versions), so the list costs the
same two queries (count, page) however many matches and versions the season holds.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import CharField, F, Q, Value, Window
from django.db.models.functions import Cast, Coalesce, Concat, Lag

from tournaments.models import Match, MatchStatus, Season

from .data import GROUP_REF_FIELDS, PLACE_FIELDS, RESULT_STATUSES, GroupRef, Slot, slot_of

CORRECTIONS_PER_PAGE = 100
# What a correction changes; the reason for an award is shown, but changing it alone is not one.
SCORE_FIELDS = ("status", "home_goals", "away_goals", "home_penalties", "away_penalties")


@dataclass(frozen=True)
class Score:
    """A result as it stood in one version of a match (shown like a match's score)."""

    status: str
    home_goals: int | None
    away_goals: int | None
    home_penalties: int | None
    away_penalties: int | None
    awarded_reason: str = ""
    provisional: bool = False

    @property
    def has_result(self) -> bool:
        return self.status in RESULT_STATUSES

    @property
    def postponed(self) -> bool:
        return self.status == MatchStatus.POSTPONED

    @property
    def awarded(self) -> bool:
        return self.status == MatchStatus.AWARDED


@dataclass(frozen=True)
class Correction:
    match_id: int
    when: datetime
    group: GroupRef
    home: Slot
    away: Slot
    before: Score
    after: Score
    reason: str


@dataclass
class Corrections:
    season: Season
    items: list[Correction]
    count: int
    page: int = 1
    pages: int = 1


def _previous(expression):
    """The value in the match's previous version (NULL for its first)."""
    return Window(
        Lag(expression),
        partition_by=[F("id")],
        order_by=[F("history_date").asc(), F("history_id").asc()],
    )


def _signature():
    """The score, status and penalties as one text, so one comparison finds any change."""
    parts = [F("status")]
    for name in SCORE_FIELDS[1:]:
        parts += [Value(":"), Coalesce(Cast(name, CharField()), Value("-"))]
    return Concat(*parts, output_field=CharField())


def corrections_queryset(season: Season):
    """The season's corrections, latest first, as .values() rows (see the module's rule)."""
    history = Match.history.model
    signature = _signature()
    previous = {f"before_{name}": _previous(name) for name in (*SCORE_FIELDS, "awarded_reason")}
    fields = (
        "id",
        "home_id",
        "away_id",
        "history_date",
        "history_change_reason",
        *SCORE_FIELDS,
        "awarded_reason",
        *previous,
        *(f"{side}__{name}" for side in ("home", "away") for name in PLACE_FIELDS),
        *(f"group__{name}" for name in GROUP_REF_FIELDS),
    )
    return (
        history.objects.filter(group__season=season)
        .annotate(
            signature=signature,
            before_signature=_previous(signature),
            before_confirmed=_previous("confirmed"),
            **previous,
        )
        .filter(before_confirmed=True, before_status__in=RESULT_STATUSES)
        .filter(~Q(signature=F("before_signature")))
        .order_by("-history_date", "-history_id")
        .values(*fields)
    )


def _score(row: dict, prefix: str = "") -> Score:
    return Score(*(row[f"{prefix}{name}"] for name in (*SCORE_FIELDS, "awarded_reason")))


def _correction(row: dict) -> Correction:
    return Correction(
        match_id=row["id"],
        when=row["history_date"],
        group=GroupRef.from_row(row),
        home=slot_of(row["home_id"], row, "home__"),
        away=slot_of(row["away_id"], row, "away__"),
        before=_score(row, "before_"),
        after=_score(row),
        reason=row["history_change_reason"] or "",
    )


def corrections(season: Season, page: int = 1) -> Corrections:
    """Every correction of a confirmed result in the season, latest first, a page at a time.

    2 queries whatever the size of the season: the count and the page.
    """
    paginator = Paginator(corrections_queryset(season), CORRECTIONS_PER_PAGE)
    current = paginator.get_page(page)
    items = [_correction(row) for row in current.object_list] if paginator.count else []
    return Corrections(season, items, paginator.count, current.number, paginator.num_pages)
