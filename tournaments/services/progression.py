"""Progression: turn group decisions into the next round's places and the playoffs they need.

The rules live in tournaments.qualification; this module only reads a group's places and
matches, asks the pure engine for its decision, and writes what follows from it:
- the places that refer to a decided group ("rank 1 of R1-A") get their team;
- a playoff (or a tie's third match) the engine asks for is created at a neutral ground,
  its date and venue left for an official;
- a change that would alter an already-filled place whose later match has a result, or a
  playoff already played, is refused with a message naming the match that blocks it.

Everything works on the whole batch in memory with a fixed number of queries, so a season
of thousands of groups is recomputed without a query per group, team or match.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tournaments import qualification as q
from tournaments import scheduling
from tournaments.caching import data_changed
from tournaments.models import Group, Match, MatchKind, MatchStatus, Place, Season
from tournaments.selectors.data import counts, points_rule


class ProgressionBlocked(ValidationError):
    """A change would rewrite a place or playoff that a later result already depends on."""


@dataclass
class _Batch:
    """Groups of one season with their places and matches, loaded once."""

    season: Season
    groups: dict[int, Group]
    places: dict[int, list[Place]] = field(default_factory=lambda: defaultdict(list))
    matches: dict[int, list[Match]] = field(default_factory=lambda: defaultdict(list))
    feeds: dict[int, list[Place]] = field(default_factory=lambda: defaultdict(list))
    changed_places: dict[int, Place] = field(default_factory=dict)
    new_matches: list[Match] = field(default_factory=list)
    dropped_matches: set[int] = field(default_factory=set)


def counts_for_progression(match: Match, season: Season) -> bool:
    """A result counts once entered, or once confirmed when the season asks for it."""
    return counts(match.status, match.confirmed, season)


def match_result(match: Match, *, counted: bool) -> q.MatchResult:
    """The pure engine's view of a match: place ids as team keys, goals only if counted."""
    played = counted and match.home_goals is not None
    return q.MatchResult(
        home=str(match.home_id),
        away=str(match.away_id),
        home_goals=match.home_goals if played else None,
        away_goals=match.away_goals if played else None,
        home_penalties=match.home_penalties if played else None,
        away_penalties=match.away_penalties if played else None,
        awarded=played and match.status == MatchStatus.AWARDED,
        kind=q.MatchKind(match.kind),
        round=match.playoff_round,
    )


def group_decision(
    group: Group, places: list[Place], matches: list[Match], season: Season
) -> q.GroupDecision | None:
    """The engine's decision for a group, or None while one of its places has no team yet."""
    if any(place.team_id is None for place in places):
        return None
    results = [match_result(m, counted=counts_for_progression(m, season)) for m in matches]
    keys = [str(place.pk) for place in places]
    return q.decide_group(keys, results, group.qualify, points_rule(season))


def _load(season: Season, groups: list[Group]) -> _Batch:
    """Load places and matches of the given groups and the places fed by them: 3 queries."""
    batch = _Batch(season=season, groups={g.pk: g for g in groups})
    ids = list(batch.groups)
    loaded: dict[int, Place] = {}
    for place in Place.objects.filter(group_id__in=ids).order_by("group_id", "position"):
        place.group = batch.groups[place.group_id]
        loaded[place.pk] = place
        batch.places[place.group_id].append(place)
    for match in Match.objects.filter(group_id__in=ids).order_by("pk"):
        batch.matches[match.group_id].append(match)
    feeds = Place.objects.filter(source_group_id__in=ids).select_related("group")
    for place in feeds:
        # The same object as in batch.places, so a filled place is seen by its own group.
        batch.feeds[place.source_group_id].append(loaded.get(place.pk, place))
    return batch


def _blocking_match(batch: _Batch, place: Place) -> Match | None:
    """A match of the later group that involves this place and already has a result."""
    later = batch.matches.get(place.group_id)
    if later is None:
        later = list(Match.objects.filter(group_id=place.group_id))
        batch.matches[place.group_id] = later
    return next(
        (m for m in later if m.has_result and place.pk in (m.home_id, m.away_id)),
        None,
    )


def _describe(match: Match) -> str:
    return _("%(group)s: %(home)s v %(away)s (matchday %(day)s)") % {
        "group": match.group.name if hasattr(match, "group") else match.group_id,
        "home": match.home.display,
        "away": match.away.display,
        "day": match.matchday,
    }


def _fill_feeds(batch: _Batch, group: Group, decision: q.GroupDecision | None) -> None:
    """Give each place that refers to this group the team its rank now names (or none)."""
    team_of = {str(p.pk): p.team_id for p in batch.places[group.pk]}
    for place in batch.feeds.get(group.pk, []):
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
            raise ProgressionBlocked(
                _(
                    "This change would alter who fills “%(place)s” in %(group)s, but the match "
                    "%(match)s already has a result. Correct that match first."
                )
                % {"place": place.label, "group": place.group.name, "match": _describe(blocker)}
            )
        place.team_id = wanted
        batch.changed_places[place.pk] = place


def _decide_with_playoffs(
    batch: _Batch, group: Group, places: list[Place]
) -> q.GroupDecision | None:
    """Decide a group round by round of playoffs, keeping only playoff matches that fit.

    Playoff round r is valid when its teams are exactly among those the engine found level at
    the cut after rounds before r. A missing playoff is created; a stale one is dropped when
    unplayed and blocks the change when it already has a result.
    """
    matches = batch.matches[group.pk]
    regular = [m for m in matches if m.kind == MatchKind.REGULAR]
    playoffs = [m for m in matches if m.kind == MatchKind.PLAYOFF]
    valid: list[Match] = []
    rnd = 1
    while True:
        decision = group_decision(group, places, regular + valid, batch.season)
        if decision is None or decision.playoff is None:
            break
        needed = decision.playoff
        teams = set(needed.teams)
        fitting = [
            m
            for m in playoffs
            if m.playoff_round == needed.round and {str(m.home_id), str(m.away_id)} <= teams
        ]
        if not fitting:
            _create_playoff(batch, group, needed)
            break
        if needed.round < rnd:
            break  # this playoff is still being played
        valid.extend(fitting)
        rnd = needed.round + 1
    valid_ids = {m.pk for m in valid}
    _drop_unplayed(batch, group, [m for m in playoffs if m.pk not in valid_ids])
    return decision


def _drop_unplayed(batch: _Batch, group: Group, matches: list[Match]) -> None:
    if not matches:
        return
    played = [m for m in matches if m.has_result]
    if played:
        raise ProgressionBlocked(
            _(
                "This change would make the playoff of %(group)s unnecessary or change who "
                "plays it, but its match %(match)s already has a result. Correct that "
                "match first."
            )
            % {"group": group.name, "match": _describe(played[0])}
        )
    batch.dropped_matches.update(m.pk for m in matches)


def _create_playoff(batch: _Batch, group: Group, playoff: q.Playoff) -> None:
    for fixture in scheduling.playoff(list(playoff.teams), round=playoff.round):
        batch.new_matches.append(
            Match(
                group=group,
                home_id=int(fixture.home),
                away_id=int(fixture.away),
                matchday=fixture.matchday,
                kind=MatchKind.PLAYOFF,
                playoff_round=playoff.round,
                neutral=True,
            )
        )


def _topological(groups: list[Group]) -> list[Group]:
    """Earlier stages and rounds first, so a group is decided before the ones it feeds."""
    return sorted(groups, key=lambda g: (g.stage.order, g.round, g.order, g.pk))


def _recompute(batch: _Batch) -> dict[int, q.GroupDecision | None]:
    decisions = {}
    for group in _topological(list(batch.groups.values())):
        decision = _decide_with_playoffs(batch, group, batch.places[group.pk])
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
        Place.objects.bulk_update([p for p in changed if p.team_id], ["team"], batch_size=500)
    if batch.dropped_matches:
        Match.objects.filter(pk__in=batch.dropped_matches).delete()
    if batch.new_matches:
        Match.objects.bulk_create(batch.new_matches, batch_size=500)


def _with_fed(groups: list[Group]) -> list[Group]:
    """These groups and the groups their ranks feed directly: one query.

    One level is enough: a later group can only change its decision through results on a
    place that changed, and a change under a place with a result is refused.
    """
    found = {group.pk: group for group in groups}
    fed = (
        Group.objects.filter(places__source_group_id__in=list(found))
        .exclude(pk__in=list(found))
        .select_related("stage")
        .distinct()
    )
    for item in fed:
        found[item.pk] = item
    return list(found.values())


def groups_recompute(*, season: Season, groups: list[Group]) -> dict[int, q.GroupDecision | None]:
    """Recompute these groups after results and carry their decisions to the next round.

    Fills the places that refer to them, creates a needed playoff or third match, and checks
    the groups those places belong to. Raises ProgressionBlocked, changing nothing, when a
    later result already depends on what would change. A fixed number of queries.
    """
    with transaction.atomic():
        batch = _load(season, _with_fed(groups))
        decisions = _recompute(batch)
        _write(batch)
    return decisions


def group_recompute(*, group: Group) -> q.GroupDecision | None:
    """Recompute one group after a result; see groups_recompute."""
    season = Season.objects.get(pk=group.season_id)
    group = Group.objects.select_related("stage").get(pk=group.pk)
    return groups_recompute(season=season, groups=[group])[group.pk]


def season_recompute(*, season: Season) -> int:
    """Recompute every group of a season in order; returns how many places changed.

    Used after importing a season file and by the "advance qualifiers" action.
    """
    with transaction.atomic():
        groups = list(Group.objects.filter(season=season).select_related("stage"))
        batch = _load(season, groups)
        _recompute(batch)
        _write(batch)
    return len(batch.changed_places)
