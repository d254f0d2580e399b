"""List filters for officials: season, stage, region, group and the state of a result.

Each offers only what the official's scope holds, so a Region I official is never shown
Region II's groups; every lookup is one query whatever the size of the season.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tournaments import permissions
from tournaments.models import Group, MatchStatus, Region, Season, StageKind

GROUP_CHOICES_LIMIT = 80


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _PathFilter(admin.SimpleListFilter):
    """A filter on one lookup path; `group_path` is "" on groups and "group__" below them."""

    group_path = "group__"

    def lookup(self, name: str) -> str:
        return f"{self.group_path}{name}"

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(**{self.lookup(self.field): value})


class SeasonFilter(_PathFilter):
    title = _("season")
    parameter_name = "season"
    field = "season_id"

    def lookups(self, request, model_admin):
        seasons = permissions.seasons_visible(Season.objects.all(), request.user)
        return [(season.pk, season.name) for season in seasons.only("pk", "name")]


class StageFilter(_PathFilter):
    title = _("stage")
    parameter_name = "stage"
    field = "stage__kind"

    def lookups(self, request, model_admin):
        return StageKind.choices


class RegionFilter(_PathFilter):
    title = _("region")
    parameter_name = "region"
    field = "region_id"

    def lookups(self, request, model_admin):
        regions = Region.objects.select_related("season")
        regions = permissions.regions_in_scope(regions, request.user)
        season = _int(request.GET.get(SeasonFilter.parameter_name))
        if season is not None:
            regions = regions.filter(season_id=season)
            return [(region.pk, region.name) for region in regions]
        return [(region.pk, f"{region.name} · {region.season.year}") for region in regions]


class GroupFilter(_PathFilter):
    """The groups of the chosen season, stage and region (the first ones when very many)."""

    title = _("group")
    parameter_name = "group"
    field = "pk"

    def lookup(self, name: str) -> str:
        return "group_id" if self.group_path else "pk"

    def lookups(self, request, model_admin):
        groups = permissions.groups_in_scope(Group.objects.all(), request.user)
        season = _int(request.GET.get(SeasonFilter.parameter_name))
        region = _int(request.GET.get(RegionFilter.parameter_name))
        stage = request.GET.get(StageFilter.parameter_name)
        if season is not None:
            groups = groups.filter(season_id=season)
        if region is not None:
            groups = groups.filter(region_id=region)
        if stage in StageKind.values:
            groups = groups.filter(stage__kind=stage)
        groups = groups.select_related("season").only("pk", "key", "name", "season__year")
        chosen = _int(self.value())
        shown = list(groups[:GROUP_CHOICES_LIMIT])
        if chosen is not None and chosen not in {group.pk for group in shown}:
            shown += list(groups.filter(pk=chosen))
        many_seasons = season is None
        return [
            (g.pk, f"{g.key} · {g.name}" + (f" · {g.season.year}" if many_seasons else ""))
            for g in shown
        ]


class ResultStateFilter(admin.SimpleListFilter):
    """Where a match stands on results day."""

    title = _("result")
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return [
            ("to_enter", _("To enter")),
            ("provisional", _("Awaiting confirmation")),
            ("confirmed", _("Confirmed")),
            ("awarded", _("Awarded")),
            ("teams_unknown", _("Teams not known yet")),
        ]

    def queryset(self, request, queryset):
        has_result = Q(status__in=[MatchStatus.PLAYED, MatchStatus.AWARDED])
        known = Q(home__team__isnull=False, away__team__isnull=False)
        conditions = {
            "to_enter": ~has_result & known,
            "provisional": has_result & Q(confirmed=False),
            "confirmed": has_result & Q(confirmed=True),
            "awarded": Q(status=MatchStatus.AWARDED),
            "teams_unknown": Q(home__team__isnull=True) | Q(away__team__isnull=True),
        }
        condition = conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


class GroupSeasonFilter(SeasonFilter):
    group_path = ""


class GroupStageFilter(StageFilter):
    group_path = ""


class GroupRegionFilter(RegionFilter):
    group_path = ""
