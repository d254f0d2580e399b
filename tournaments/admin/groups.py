"""Groups and ties with their places and matches: a group's page is a results-day screen too.

Its matches are listed inline with score boxes (penalty boxes only on playoff and third
matches) saved through the services; its actions generate the fixtures, schedule a playoff
the rules ask for and advance the qualifiers, all through the services.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tournaments import permissions
from tournaments.admin.filters import (
    GroupRegionFilter,
    GroupSeasonFilter,
    GroupStageFilter,
    RegionFilter,
    SeasonFilter,
    StageFilter,
)
from tournaments.admin.matches import MatchColumns, match_label
from tournaments.admin.scope import AllOrNothingMixin, ScopedAdmin, ScopedInline
from tournaments.forms import GroupForm, ResultInlineFormSet, ResultRowForm
from tournaments.models import Group, Match, MatchStatus, Place
from tournaments.services.fixtures import group_generate_fixtures, group_schedule_playoff
from tournaments.services.progression import group_recompute


class PlaceInline(ScopedInline, admin.TabularInline):
    model = Place
    fk_name = "group"
    fields = ("position", "team", "source_group", "source_rank", "label")
    autocomplete_fields = ("team", "source_group")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("team", "source_group")


class MatchInline(MatchColumns, ScopedInline, admin.TabularInline):
    """The group's matches with their score boxes, saved through the services.

    Only the score boxes take the focus, so Tab goes from box to box as on results day.
    """

    model = Match
    form = ResultRowForm
    formset = ResultInlineFormSet
    fields = (
        "day",
        "home_team",
        "home_goals",
        "away_goals",
        "away_team",
        "home_penalties",
        "away_penalties",
        "state",
        "loaded_version",
    )
    readonly_fields = ("day", "home_team", "away_team", "state")
    ordering = ("playoff_round", "matchday", "kickoff", "pk")
    extra = 0
    can_delete = False
    classes = ("results-inline",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("group", "home__team", "away__team", "entered_by")
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("match"))
    def day(self, match):
        url = reverse("admin:tournaments_match_change", args=[match.pk])
        return format_html(
            '<a href="{}" tabindex="-1" title="{}">{}</a>',
            url,
            _("Details, history, award"),
            match_label(match),
        )


@admin.register(Group)
class GroupAdmin(AllOrNothingMixin, ScopedAdmin):
    form = GroupForm
    list_display = (
        "key",
        "name",
        "season_year",
        "stage",
        "region_name",
        "format",
        "qualify",
        "round",
        "results",
    )
    list_filter = (GroupSeasonFilter, GroupStageFilter, GroupRegionFilter, "format", "structure")
    list_select_related = ("season", "stage__season", "region")
    search_fields = ("key", "name", "places__team__name", "places__label")
    inlines = (MatchInline, PlaceInline)
    actions = ["generate_fixtures", "schedule_playoff", "advance_qualifiers"]

    def scope_queryset(self, queryset, user):
        return permissions.groups_in_scope(queryset, user)

    def can_see(self, user, obj) -> bool:
        return permissions.can_change_group(user, obj)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                matches_total=Count("matches", distinct=True),
                results_total=Count(
                    "matches",
                    filter=Q(matches__status__in=[MatchStatus.PLAYED, MatchStatus.AWARDED]),
                    distinct=True,
                ),
            )
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        """On a group's page its matches come first: where it sits in the season is folded."""
        where = ["season", "stage", "region", ("round", "order")]
        structure = ["structure", "structure_note"]
        if obj is None:
            return [(None, {"fields": ["key", "name", "format", "qualify", *where, *structure]})]
        return [
            (None, {"fields": [("key", "name"), ("format", "qualify")]}),
            (_("Place in the season"), {"fields": where, "classes": ["collapse"]}),
            (_("Structure"), {"fields": structure, "classes": ["collapse"]}),
        ]

    @admin.display(description=gettext_lazy("season"), ordering="season__year")
    def season_year(self, group):
        return group.season.year

    @admin.display(description=gettext_lazy("region"), ordering="region__number")
    def region_name(self, group):
        return group.region.name if group.region_id else "—"

    @admin.display(description=gettext_lazy("results"))
    def results(self, group):
        return f"{group.results_total}/{group.matches_total}"

    def _each(self, request, queryset, run, done_message):
        """Run a service on each selected group; report each success and each refusal."""
        for group in queryset.order_by("pk"):
            try:
                count = run(group)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{group.key}: {message}", messages.ERROR)
                continue
            self.message_user(request, done_message(group, count), messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Generate the fixtures of the selected groups"),
        permissions=["change"],
    )
    def generate_fixtures(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda group: group_generate_fixtures(group=group),
            lambda group, n: (
                ngettext("%(group)s: %(n)d match created.", "%(group)s: %(n)d matches created.", n)
                % {"group": group.key, "n": n}
            ),
        )

    @admin.action(
        description=gettext_lazy("Schedule the playoff or third match the rules ask for"),
        permissions=["change"],
    )
    def schedule_playoff(self, request, queryset):
        def done(group, n):
            if not n:
                return _("%(group)s: no playoff needed now, or it is already scheduled.") % {
                    "group": group.key
                }
            return ngettext(
                "%(group)s: %(n)d playoff match scheduled at a neutral ground.",
                "%(group)s: %(n)d playoff matches scheduled at neutral grounds.",
                n,
            ) % {"group": group.key, "n": n}

        self._each(request, queryset, lambda group: group_schedule_playoff(group=group), done)

    @admin.action(
        description=gettext_lazy("Advance qualifiers of the selected groups"),
        permissions=["change"],
    )
    def advance_qualifiers(self, request, queryset):
        def done(group, decision):
            if decision is None or not decision.complete:
                return _("%(group)s: not decided yet; nothing advanced.") % {"group": group.key}
            return _("%(group)s: decided; its qualifiers fill the next round.") % {
                "group": group.key
            }

        self._each(request, queryset, lambda group: group_recompute(group=group), done)


@admin.register(Place)
class PlaceAdmin(ScopedAdmin):
    list_display = ("__str__", "group", "position", "team", "source_group", "source_rank")
    list_filter = (SeasonFilter, StageFilter, RegionFilter)
    list_select_related = ("group", "team", "source_group")
    search_fields = ("team__name", "label", "group__key", "group__name")
    autocomplete_fields = ("group", "team", "source_group")

    def scope_queryset(self, queryset, user):
        return permissions.places_in_scope(queryset, user)

    def can_see(self, user, obj) -> bool:
        return permissions.can_change_group(user, obj.group)
