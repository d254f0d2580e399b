"""Progression: turn group decisions into the next round's places and the playoffs they need.

The rules live in tournaments.qualification; this module only reads a group's places and
matches, asks the pure engine for its decision, and writes what follows from it:
- the places that refer to a decided group ("rank 1 of R1-A") get their team;
- a playoff (or a tie's third match) the engine asks for is created at a neutral ground,
  its date and venue left for an official;
- a change that would alter an already-filled place whose later match has a result, or a
  playoff already played, is refused with a message naming the match that blocks it.

Everything works on the whole batch in memory with a fixed number of queries, so a season
of thousands of groups is recomputed without a query per group, team or match. Rows are read
as plain tuples into small records, not model instances: a season has tens of thousands of
matches, and building a model instance costs several times more than reading its row. Model
instances are made only for the few rows written, and the names an error message shows are
read only when a change is refused. A whole season goes further: each place's regular results
are added up as they are read (won, drawn, lost, goals; q.sum_results) and the engine ranks
from those sums (q.rank_tallied, proven to rank as q.rank_group does), so its tens of
thousands of regular matches are never made into MatchResults one by one.
"""

import gc
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tournaments import qualification as q
from tournaments import scheduling
from tournaments.caching import data_changed
from tournaments.models import Group, Match, MatchKind, MatchStatus, Place, Season
from tournaments.selectors.data import RESULT_STATUSES, counts, points_rule

MATCH_COLUMNS = (
    "id",
    "group_id",
    "home_id",
    "away_id",
    "home_goals",
    "away_goals",
    "home_penalties",
    "away_penalties",
    "status",
    "confirmed",
    "playoff_round",  # 0 exactly for regular matches (a constraint): the kind is not read
)


# The engine's answer for a group: q.decide_group's, or q.rank_group's when no one reads the
# table; progression only uses `complete`, `ranking`, `playoff` and `stray`, which both have.
Decision = q.GroupDecision | q.GroupRanking
Decide = Callable[..., Decision]


class _Keys(dict):
    """Place id -> the engine's name for that place: its id as text, made once per place."""

    def __missing__(self, pk: int) -> str:
        return str(pk)  # a place outside the batch: the engine refuses it as it should


class ProgressionBlocked(ValidationError):
    """A change would rewrite a place or playoff that a later result already depends on."""


@dataclass(slots=True)
class _Group:
    pk: int
    qualify: int


@dataclass(slots=True)
class _Place:
    """A place as progression needs it; `team_id` changes as earlier groups are decided."""

    pk: int
    group_id: int
    team_id: int | None
    source_group_id: int | None
    source_rank: int | None
    key: str  # the engine's name for this place: its pk as text


@dataclass(slots=True)
class _Playoff:
    """A playoff match (or a tie's third match): kept whole, as it may be kept or dropped."""

    pk: int
    playoff_round: int
    has_result: bool
    result: q.MatchResult


@dataclass
class _Batch:
    """Groups of one season with their places and matches, loaded once.

    `groups` is in the order groups are decided: earlier stages and rounds first, so a group
    is decided before the groups its ranks feed. `regular` holds the engine's view of each
    group's regular matches and `playoffs` its playoff matches, by id; `rows` every match row
    as read (MATCH_COLUMNS), from which `results_on` finds the result that blocks a change.
    """

    points: q.PointsRule
    within: dict  # the batch's matches: Match.objects.filter(**within)
    groups: dict[int, _Group] = field(default_factory=dict)
    places: dict[int, list[_Place]] = field(default_factory=lambda: defaultdict(list))
    feeds: dict[int, list[_Place]] = field(default_factory=lambda: defaultdict(list))
    group_of: dict[int, int] = field(default_factory=dict)  # place id -> its group's id
    regular: dict[int, list[q.MatchResult]] = field(default_factory=lambda: defaultdict(list))
    playoffs: dict[int, list[_Playoff]] = field(default_factory=lambda: defaultdict(list))
    # Added up instead (a season's recompute): group -> the sums of its places (by key) and
    # whether every regular match counts; groups whose matches need the engine's own checks
    # are left out and have their regular matches in `regular`.
    sums: dict[int, tuple[dict[str, tuple], bool]] | None = None
    results_on: dict[tuple[int, int], int] | None = None
    changed_places: dict[int, _Place] = field(default_factory=dict)
    new_matches: list[Match] = field(default_factory=list)
    dropped_matches: set[int] = field(default_factory=set)


def _rows(values: QuerySet) -> list[tuple]:
    """A values_list query's rows, fetched at once as the database driver gives them.

    Django hands rows over one by one through its iterators, which for tens of thousands of
    rows costs more than the query itself; the columns read here are plain numbers and text
    that need none of its conversions (a boolean may come as 0 or 1: used as 0 or 1).
    """
    sql, params = values.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _load(season: Season, group_ids: list[int] | None, *, summed: bool = False) -> _Batch:
    """Load the groups (all of the season when None), their places and matches: 3 queries.

    The places fed by a group are among the loaded ones: a season loads all its groups, and
    groups_recompute loads the groups fed by the ones it recomputes. `summed` adds up the
    regular results of each group instead of making a MatchResult of each (_sum_regular).
    """
    if group_ids is None:
        groups, within = Group.objects.filter(season=season), {"group__season": season}
    else:
        groups, within = Group.objects.filter(pk__in=group_ids), {"group_id__in": group_ids}
    batch = _Batch(points=points_rule(season), within=within)
    order = ("stage__order", "round", "order", "pk")
    for pk, qualify in _rows(groups.order_by(*order).values_list("pk", "qualify")):
        batch.groups[pk] = _Group(pk, qualify)

    key_of = _Keys()
    rows = Place.objects.filter(**within).order_by("group_id", "position")
    places, feeds, group_of = batch.places, batch.feeds, batch.group_of
    for pk, group_id, team_id, source_group_id, source_rank in _rows(
        rows.values_list("pk", "group_id", "team_id", "source_group_id", "source_rank")
    ):
        key = key_of[pk] = str(pk)
        place = _Place(pk, group_id, team_id, source_group_id, source_rank, key)
        group_of[pk] = group_id
        places[group_id].append(place)
        if source_group_id is not None:
            feeds[source_group_id].append(place)

    # The statuses whose result counts, unconfirmed ([False]) and confirmed ([True]), worked
    # out once from the one shared rule rather than asked for each match.
    counting = [{s for s in MatchStatus.values if counts(s, c, season)} for c in (False, True)]
    rows = _rows(Match.objects.filter(**within).order_by().values_list(*MATCH_COLUMNS))
    if summed:
        rows = _sum_regular(batch, rows, counting, key_of)
    awarded, regular, playoff = MatchStatus.AWARDED, q.MatchKind.REGULAR, q.MatchKind.PLAYOFF
    for pk, group_id, home, away, hg, ag, hp, ap, status, confirmed, rnd in rows:
        home, away, kind = key_of[home], key_of[away], playoff if rnd else regular
        if status in counting[confirmed]:  # goals only once the result counts
            result = q.MatchResult(home, away, hg, ag, hp, ap, status == awarded, kind, rnd)
        else:
            result = q.MatchResult(home, away, kind=kind, round=rnd)
        if not rnd:
            batch.regular[group_id].append(result)
        else:
            has_result = status in RESULT_STATUSES
            batch.playoffs[group_id].append(_Playoff(pk, rnd, has_result, result))
    for playoffs in batch.playoffs.values():
        playoffs.sort(key=lambda m: m.pk)
    return batch


def _sum_regular(
    batch: _Batch, rows: list[tuple], counting: list[set[str]], key_of: _Keys
) -> list[tuple]:
    """Add up each group's regular results for the engine (batch.sums, for q.rank_tallied).

    Returns the rows the engine still gets as matches: the playoff matches, and every match of
    a group with a regular match that needs the engine's own checks (a team not of the group,
    a team playing itself, a counted result without goals, with negative ones or penalties,
    an awarded draw: the database's constraints refuse most of them), so that the engine
    names the fault as it always does.
    """
    group_of = batch.group_of
    played, pending, unsure, rest = [], set(), set(), []
    awarded, plain = MatchStatus.AWARDED, q.plain_regular_result
    for row in rows:
        _pk, group_id, home, away, hg, ag, hp, ap, status, confirmed, rnd = row
        if rnd:
            rest.append(row)
        elif home == away or group_of.get(home) != group_id or group_of.get(away) != group_id:
            unsure.add(group_id)
        elif status not in counting[confirmed]:
            pending.add(group_id)  # unplayed, or not counted yet: the group is not complete
        elif plain(home, away, hg, ag, hp, ap, status == awarded):
            played.append((key_of[home], key_of[away], hg, ag))
        else:
            unsure.add(group_id)
    sums = q.sum_results(played)
    batch.sums = {}
    for pk in batch.groups:
        if pk not in unsure:
            keys = [place.key for place in batch.places.get(pk, ())]
            mine = {key: sums[key] for key in keys if key in sums}
            batch.sums[pk] = (mine, pk not in pending)
    if unsure:
        rest += [row for row in rows if not row[-1] and row[1] in unsure]
    return rest


def _blocking_match(batch: _Batch, place: _Place) -> int | None:
    """The first match (by id) of the later group involving this place that has a result."""
    if batch.results_on is None:  # one query on first need: a run that changes nothing never
        batch.results_on = {}
        with_result = Match.objects.filter(**batch.within, status__in=RESULT_STATUSES)
        rows = with_result.order_by("pk").values_list("pk", "group_id", "home_id", "away_id")
        for pk, group_id, home_id, away_id in rows:
            for place_id in (home_id, away_id):
                batch.results_on.setdefault((group_id, place_id), pk)
    return batch.results_on.get((place.group_id, place.pk))


def _match_named(pk: int) -> tuple[str, str]:
    """A match's group name and description, for a refusal: one query, only when refusing."""
    match = Match.objects.select_related("group", "home__team", "away__team").get(pk=pk)
    described = _("%(group)s: %(home)s v %(away)s (matchday %(day)s)") % {
        "group": match.group.name,
        "home": match.home.display,
        "away": match.away.display,
        "day": match.matchday,
    }
    return match.group.name, described


def _fill_feeds(batch: _Batch, group: _Group, decision: Decision | None) -> None:
    """Give each place that refers to this group the team its rank now names (or none)."""
    feeds = batch.feeds.get(group.pk)
    if not feeds:
        return
    team_of = {p.key: p.team_id for p in batch.places[group.pk]}
    for place in feeds:
        wanted = None
        if (
            decision is not None
            and decision.complete
            and place.source_rank <= len(decision.ranking)
        ):
            wanted = team_of[decision.ranking[place.source_rank - 1]]
        if place.team_id == wanted:
            continue
        blocker = _blocking_match(batch, place) if place.team_id is not None else None
        if blocker is not None:
            refused = Place.objects.select_related("group").get(pk=place.pk)
            raise ProgressionBlocked(
                _(
                    "This change would alter who fills “%(place)s” in %(group)s, but the match "
                    "%(match)s already has a result. Correct that match first."
                )
                % {
                    "place": refused.label,
                    "group": refused.group.name,
                    "match": _match_named(blocker)[1],
                }
            )
        place.team_id = wanted
        batch.changed_places[place.pk] = place


def _decide(batch: _Batch, group: _Group, decide: Decide) -> Decision | None:
    """Decide a group with all its playoff matches; keep those its playoffs use.

    None while one of its places has no team yet. For each playoff round it needs, the engine
    takes the PLAYOFF matches of that round among the teams level at the cut and lists any
    other as stray. A needed playoff without a match yet is created; a stray match is dropped
    when unplayed and blocks the change when it already has a result.
    """
    places = batch.places[group.pk]
    playoffs = batch.playoffs.get(group.pk, [])
    if None in [place.team_id for place in places]:
        _drop_unplayed(batch, group, playoffs)
        return None
    keys = [place.key for place in places]
    if batch.sums is not None and group.pk in batch.sums:
        sums, complete = batch.sums[group.pk]
        results = [m.result for m in playoffs]
        decision = q.rank_tallied(keys, sums, complete, results, group.qualify, batch.points)
    else:
        results = batch.regular.get(group.pk, [])
        if playoffs:
            results = results + [m.result for m in playoffs]
        decision = decide(keys, results, group.qualify, batch.points)
    needed = decision.playoff
    if needed is not None:
        teams = set(needed.teams)
        if not any(
            m.playoff_round == needed.round and {m.result.home, m.result.away} <= teams
            for m in playoffs
        ):
            _create_playoff(batch, group, needed)
    if decision.stray:
        stray = {id(result) for result in decision.stray}
        _drop_unplayed(batch, group, [m for m in playoffs if id(m.result) in stray])
    return decision


def _drop_unplayed(batch: _Batch, group: _Group, matches: list[_Playoff]) -> None:
    if not matches:
        return
    played = [m for m in matches if m.has_result]
    if played:
        name, described = _match_named(played[0].pk)
        raise ProgressionBlocked(
            _(
                "This change would make the playoff of %(group)s unnecessary or change who "
                "plays it, but its match %(match)s already has a result. Correct that "
                "match first."
            )
            % {"group": name, "match": described}
        )
    batch.dropped_matches.update(m.pk for m in matches)


def _create_playoff(batch: _Batch, group: _Group, playoff: q.Playoff) -> None:
    for fixture in scheduling.playoff(list(playoff.teams), round=playoff.round):
        batch.new_matches.append(
            Match(
                group_id=group.pk,
                home_id=int(fixture.home),
                away_id=int(fixture.away),
                matchday=fixture.matchday,
                kind=MatchKind.PLAYOFF,
                playoff_round=playoff.round,
                neutral=True,
            )
        )


def _recompute(batch: _Batch, decide: Decide) -> dict[int, Decision | None]:
    decisions = {}
    for group in batch.groups.values():  # already in the order groups are decided
        decision = _decide(batch, group, decide)
        _fill_feeds(batch, group, decision)
        decisions[group.pk] = decision
    return decisions


def _write(batch: _Batch) -> None:
    """Persist the batch: emptied places first, so swapping teams never collides."""
    if batch.changed_places or batch.dropped_matches or batch.new_matches:
        data_changed()  # bulk writes send no signals
    changed = list(batch.changed_places.values())
    if changed:
        Place.objects.filter(pk__in=[p.pk for p in changed]).update(team=None)
        filled = [Place(pk=p.pk, team_id=p.team_id) for p in changed if p.team_id]
        Place.objects.bulk_update(filled, ["team"], batch_size=500)
    if batch.dropped_matches:
        Match.objects.filter(pk__in=batch.dropped_matches).delete()
    if batch.new_matches:
        Match.objects.bulk_create(batch.new_matches, batch_size=500)


def _with_fed(groups: list[Group]) -> list[int]:
    """Ids of these groups and of the groups their ranks feed directly: one query.

    One level is enough: a later group can only change its decision through results on a
    place that changed, and a change under a place with a result is refused.
    """
    ids = {group.pk for group in groups}
    fed = Group.objects.filter(places__source_group_id__in=list(ids)).values_list("pk", flat=True)
    return sorted(ids.union(fed))


@contextmanager
def _collector_paused():
    """Pause CPython's cyclic garbage collector while a batch lives.

    A season's batch is some 150,000 small objects (records, the engine's inputs and answers)
    that form no reference cycles, yet the collector would rescan them again and again as
    they pile up, and once more, with the whole heap, if they were still alive when it
    resumed: together that nearly doubled the time of a season recompute. So the batch is
    built, used and freed (by reference counting, as usual) inside this block.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _apply(
    season: Season, group_ids: list[int] | None, decide: Decide, *, summed: bool = False
) -> tuple[dict, int]:
    """Load, decide and write a batch; its decisions and how many places changed."""
    batch = _load(season, group_ids, summed=summed)
    decisions = _recompute(batch, decide)
    _write(batch)
    return decisions, len(batch.changed_places)


def groups_recompute(*, season: Season, groups: list[Group]) -> dict[int, q.GroupDecision | None]:
    """Recompute these groups after results and carry their decisions to the next round.

    Fills the places that refer to them, creates a needed playoff or third match, and checks
    the groups those places belong to. Raises ProgressionBlocked, changing nothing, when a
    later result already depends on what would change. A fixed number of queries.
    """
    with _collector_paused(), transaction.atomic():
        decisions, _changed = _apply(season, _with_fed(groups), q.decide_group)
    return decisions


def group_recompute(*, group: Group) -> q.GroupDecision | None:
    """Recompute one group after a result; see groups_recompute."""
    season = Season.objects.get(pk=group.season_id)
    return groups_recompute(season=season, groups=[group])[group.pk]


def season_recompute(*, season: Season) -> int:
    """Recompute every group of a season in order; returns how many places changed.

    Used after importing a season file and by the "advance qualifiers" action. Asks the
    engine for the ranks only (the same rules, no table rows or marks), as nothing here shows
    a table, from each place's sums (_sum_regular); a group with a match the engine would
    refuse is decided from its matches (q.rank_group), which names the fault.
    """
    with _collector_paused(), transaction.atomic():
        _decisions, changed = _apply(season, None, q.rank_group, summed=True)
        del _decisions  # freed before the collector resumes: see _collector_paused
    return changed
