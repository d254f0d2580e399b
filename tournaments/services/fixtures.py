"""Writes of fixtures: generate a group's matches from its format, schedule a needed playoff."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tournaments import scheduling
from tournaments.models import Group, GroupFormat, Match, MatchKind
from tournaments.services.progression import group_recompute


def _fixtures_for(group: Group, keys: list[str]) -> list[scheduling.Fixture]:
    if group.format == GroupFormat.TWO_LEGGED_TIE:
        if len(keys) != 2:
            raise ValidationError(
                _("A two-legged tie needs exactly two places; %(group)s has %(count)s.")
                % {"group": group.name, "count": len(keys)}
            )
        return scheduling.two_legged_tie(keys[0], keys[1])
    double = group.format == GroupFormat.DOUBLE_ROUND_ROBIN
    return scheduling.round_robin(keys, double=double)


def group_fixture_matches(group: Group, place_ids: list[int]) -> list[Match]:
    """Unsaved regular matches for a group's places, by its format (circle method or tie)."""
    if len(place_ids) < 2:
        raise ValidationError(
            _("%(group)s needs at least two places to have fixtures.") % {"group": group.name}
        )
    fixtures = _fixtures_for(group, [str(pk) for pk in place_ids])
    return [
        Match(
            group=group,
            home_id=int(f.home),
            away_id=int(f.away),
            matchday=f.matchday,
            kind=MatchKind.REGULAR,
            neutral=f.neutral,
        )
        for f in fixtures
    ]


def group_generate_fixtures(*, group: Group) -> int:
    """Create a group's regular matches from its format; refused when it already has some.

    Single round robin: every pair once; double: once at each ground; tie: two legs.
    Returns how many matches were created.
    """
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.matches.filter(kind=MatchKind.REGULAR).exists():
            raise ValidationError(
                _("%(group)s already has its fixtures; delete them first to generate new ones.")
                % {"group": group.name}
            )
        place_ids = list(group.places.order_by("position").values_list("pk", flat=True))
        matches = Match.objects.bulk_create(group_fixture_matches(group, place_ids))
    return len(matches)


def group_schedule_playoff(*, group: Group) -> int:
    """Create the playoff (or third match) the group's decision needs, if any.

    Returns how many playoff matches were created (0 when none is needed or it exists).
    """
    before = group.matches.filter(kind=MatchKind.PLAYOFF).count()
    group_recompute(group=group)
    return group.matches.filter(kind=MatchKind.PLAYOFF).count() - before
