"""Which seasons and regions an official may see and change: pure queryset filters.

An official is assigned to regions of a season, or to a whole season (an assignment with no
region: a national official). They see and change only the matches, groups and places of
those regions, or of those whole seasons. Superusers see everything. Seasons, regions and
stages are visible to anyone assigned to the season, but only a national official of the
season (or a superuser) may change them. The admin calls these in every queryset and
permission check, so a typed URL gets no further than a link.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tournaments.models import OfficialAssignment

_CACHE = "_copaperu_scope"


@dataclass(frozen=True)
class Scope:
    """What one user may touch: everything, whole seasons, or single regions."""

    everything: bool = False
    seasons: frozenset[int] = frozenset()
    regions: frozenset[int] = frozenset()
    region_seasons: frozenset[int] = frozenset()

    @property
    def visible_seasons(self) -> frozenset[int]:
        return self.seasons | self.region_seasons

    def covers(self, season_id: int | None, region_id: int | None) -> bool:
        """A group of this season (in this region, or none) is within the scope."""
        if self.everything:
            return True
        return season_id in self.seasons or (region_id is not None and region_id in self.regions)

    def covers_season(self, season_id: int | None) -> bool:
        """The whole season is within the scope (a national official, or a superuser)."""
        return self.everything or season_id in self.seasons


def user_scope(user) -> Scope:
    """The user's scope, read once per user object (one query) and kept on it."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        scope = Scope()
    elif user.is_superuser:
        scope = Scope(everything=True)
    else:
        rows = list(
            OfficialAssignment.objects.filter(user_id=user.pk).values_list("season_id", "region_id")
        )
        scope = Scope(
            seasons=frozenset(season for season, region in rows if region is None),
            regions=frozenset(region for _, region in rows if region is not None),
            region_seasons=frozenset(season for season, region in rows if region is not None),
        )
    if user is not None:
        setattr(user, _CACHE, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's assignments changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def _nothing() -> Q:
    return Q(pk__in=[])


def scope_q(user, *, season: str, region: str) -> Q:
    """A filter keeping rows whose season (or region) lies in the user's scope.

    `season` and `region` are the lookups from the filtered model to the season id and the
    region id, e.g. "group__season_id" and "group__region_id" for matches.
    """
    scope = user_scope(user)
    if scope.everything:
        return Q()
    parts = []
    if scope.seasons:
        parts.append(Q(**{f"{season}__in": sorted(scope.seasons)}))
    if scope.regions:
        parts.append(Q(**{f"{region}__in": sorted(scope.regions)}))
    if not parts:
        return _nothing()
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def matches_in_scope(queryset: QuerySet, user) -> QuerySet:
    """Matches of groups in the user's regions or whole seasons."""
    return queryset.filter(scope_q(user, season="group__season_id", region="group__region_id"))


def groups_in_scope(queryset: QuerySet, user) -> QuerySet:
    """Groups in the user's regions or whole seasons (national groups: whole season only)."""
    return queryset.filter(scope_q(user, season="season_id", region="region_id"))


def places_in_scope(queryset: QuerySet, user) -> QuerySet:
    """Places of groups in the user's scope."""
    return queryset.filter(scope_q(user, season="group__season_id", region="group__region_id"))


def regions_in_scope(queryset: QuerySet, user) -> QuerySet:
    """Regions the user is assigned to, or every region of their whole seasons."""
    return queryset.filter(scope_q(user, season="season_id", region="pk"))


def seasons_visible(queryset: QuerySet, user, *, field: str = "pk") -> QuerySet:
    """Seasons (or rows of a season, through `field`) the user has any assignment in."""
    scope = user_scope(user)
    if scope.everything:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(scope.visible_seasons)})


def seasons_changeable(queryset: QuerySet, user, *, field: str = "pk") -> QuerySet:
    """Seasons (or rows of a season) only a national official or a superuser may change."""
    scope = user_scope(user)
    if scope.everything:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(scope.seasons)})


def can_change_group(user, group) -> bool:
    """The group (a Group, or anything with season_id and region_id) is in scope."""
    return user_scope(user).covers(group.season_id, group.region_id)


def can_change_match(user, match) -> bool:
    """The match's group is in scope (reads match.group: select it with the match)."""
    return can_change_group(user, match.group)


def can_change_season(user, season_id: int | None) -> bool:
    """Only a national official of the season, or a superuser."""
    return user_scope(user).covers_season(season_id)


def can_see_season(user, season_id: int | None) -> bool:
    """Anyone assigned to the season, in a region or for the whole of it."""
    scope = user_scope(user)
    return scope.everything or season_id in scope.visible_seasons
