"""Play a simulated season: invented results, round after round, through the real services.

Only for seasons marked simulated. Each round's matches get random scores in one bulk write,
then the progression service fills the next places and asks for playoffs, which are played
the same way until the round is decided.
"""

import random
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tournaments.caching import data_changed
from tournaments.models import Group, Match, MatchKind, MatchStatus, Season
from tournaments.services.progression import groups_recompute

GOALS = (0, 1, 2, 3, 4, 5)
GOAL_WEIGHTS = (26, 34, 22, 11, 5, 2)


def _score(rng: random.Random, match: Match, shootout: bool) -> None:
    """Invented goals; a drawn playoff between two teams is settled on penalties."""
    match.home_goals, match.away_goals = rng.choices(GOALS, GOAL_WEIGHTS, k=2)
    match.status = MatchStatus.PLAYED
    match.confirmed = True
    if shootout and match.home_goals == match.away_goals:
        home = rng.randint(2, 5)
        match.home_penalties, match.away_penalties = home, home + rng.choice((-1, 1))


def _play_round(rng: random.Random, groups: list[Group]) -> int:
    """Score every unplayed match of these groups whose teams are known; returns how many."""
    ids = [g.pk for g in groups]
    pending = list(
        Match.objects.filter(
            group_id__in=ids,
            status=MatchStatus.SCHEDULED,
            home__team__isnull=False,
            away__team__isnull=False,
        ).order_by("pk")
    )
    playoff_size = Counter(
        (m.group_id, m.playoff_round) for m in pending if m.kind == MatchKind.PLAYOFF
    )
    for match in pending:
        single = match.kind == MatchKind.PLAYOFF and (
            playoff_size[(match.group_id, match.playoff_round)] == 1
        )
        _score(rng, match, single)
    fields = ["home_goals", "away_goals", "home_penalties", "away_penalties", "status", "confirmed"]
    Match.objects.bulk_update(pending, fields, batch_size=1000)
    data_changed()  # bulk writes send no signals
    return len(pending)


def season_play_simulated(*, season: Season, seed: int) -> int:
    """Give every match of a simulated season a random result, in order; returns the count.

    Rounds are played stage by stage; after each, progression fills the next places and
    creates any playoff, which is played in turn until the round is decided.
    """
    if not season.simulated:
        raise ValidationError(_("Only a simulated season can be given invented results."))
    rng = random.Random(seed)
    played = 0
    groups = list(Group.objects.filter(season=season).select_related("stage"))
    rounds = sorted({(g.stage.order, g.round) for g in groups})
    for stage_order, rnd in rounds:
        members = [g for g in groups if (g.stage.order, g.round) == (stage_order, rnd)]
        while True:
            with transaction.atomic():
                count = _play_round(rng, members)
                groups_recompute(season=season, groups=members)
            if not count:
                break
            played += count
    return played
