"""Results day: the matches list where officials type many scores at once, and its actions.

Scores are typed straight into the list (penalty boxes only on playoff and third matches),
saved through the services with the version each row was loaded at, and confirmed by a
second official. Awarding a match, confirming results and every change's history are a
click away; nothing here decides anything: the services do.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from tournaments import permissions
from tournaments.admin.filters import (
    GroupFilter,
    RegionFilter,
    ResultStateFilter,
    SeasonFilter,
    StageFilter,
)
from tournaments.admin.scope import AllOrNothingMixin, ScopedAdmin
from tournaments.forms import (
    SCORE_FIELDS,
    AwardForm,
    MatchAddForm,
    MatchForm,
    ResultFormSet,
    ResultRowForm,
)
from tournaments.models import Match, MatchKind
from tournaments.services.results import match_confirm_result

BOTH_PAGES = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
READONLY = (
    "group",
    "home",
    "away",
    "kind",
    "matchday",
    "status",
    "awarded_reason",
    "confirmed",
    "entered_by",
    "confirmed_by",
    "version",
    "updated_at",
)


def state_badge(match: Match) -> str:
    """Scheduled, to confirm (and who entered it), confirmed or awarded, as a small label."""
    if match.home.team_id is None or match.away.team_id is None:
        return format_html('<span class="state state-unknown">{}</span>', _("Teams not known"))
    if not match.has_result:
        return format_html(
            '<span class="state state-scheduled">{}</span>', match.get_status_display()
        )
    if match.confirmed:
        label = _("Awarded") if match.is_awarded else _("Confirmed")
        return format_html('<span class="state state-confirmed">{} ✓</span>', label)
    label = _("Awarded, to confirm") if match.is_awarded else _("To confirm")
    who = match.entered_by.get_username() if match.entered_by_id else ""
    return format_html(
        '<span class="state state-provisional" title="{}">{}</span>'
        '<small class="entered-by">{}</small>',
        _("Entered by %(user)s") % {"user": who or "—"},
        label,
        who,
    )


class ResultHistoryHelper(HistoricalRecordContextHelper):
    """Old and new values as officials read them: labels, not codes; a dash for nothing."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value in (None, "") or (field.is_relation and getattr(value, "pk", 0) is None):
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return super().prepare_delta_change_value(change, value)


def match_label(match: Match) -> str:
    """Leg 1, Matchday 3, Third match or Playoff, as officials call a match of a group."""
    if match.kind == MatchKind.PLAYOFF:
        return _("Third match") if match.group.is_tie else _("Playoff")
    if match.group.is_tie:
        return _("Leg %(n)s") % {"n": match.matchday}
    return _("Matchday %(n)s") % {"n": match.matchday}


class MatchColumns:
    """The team and state columns shared by the results-day list and a group's matches."""

    @admin.display(description=gettext_lazy("home"))
    def home_team(self, match):
        return format_html('<span class="team team-home">{}</span>', match.home.display)

    @admin.display(description=gettext_lazy("away"))
    def away_team(self, match):
        return format_html('<span class="team team-away">{}</span>', match.away.display)

    @admin.display(description=gettext_lazy("state"))
    def state(self, match):
        return state_badge(match)


@admin.register(Match)
class MatchAdmin(MatchColumns, AllOrNothingMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = (
        "fixture",
        "home_team",
        "home_goals",
        "away_goals",
        "away_team",
        "home_penalties",
        "away_penalties",
        "state",
    )
    list_display_links = None
    list_editable = SCORE_FIELDS
    list_select_related = (
        "group__season",
        "group__region",
        "home__team",
        "away__team",
        "entered_by",
    )
    list_filter = (
        SeasonFilter,
        StageFilter,
        RegionFilter,
        GroupFilter,
        ResultStateFilter,
        ("kickoff", admin.DateFieldListFilter),
    )
    date_hierarchy = "kickoff"
    search_fields = (
        "group__key",
        "group__name",
        "home__team__name",
        "away__team__name",
        "home__label",
        "away__label",
        "venue",
    )
    list_per_page = 100
    # Regular matches before playoffs (the model orders by kind, where "playoff" < "regular").
    ordering = ("group", "playoff_round", "matchday", "kickoff", "id")
    actions = ["confirm_results", "award_match"]
    readonly_fields = READONLY
    autocomplete_fields = ("group", "home", "away")

    # Scope ---------------------------------------------------------------------------------

    def scope_queryset(self, queryset, user):
        return permissions.matches_in_scope(queryset, user)

    def can_see(self, user, obj) -> bool:
        return permissions.can_change_match(user, obj)

    def get_queryset(self, request):
        # Everything a row, a permission check or an error message reads, in the one query
        # (the changelist ignores list_select_related once a queryset selects related rows).
        return super().get_queryset(request).select_related(*self.list_select_related)

    # The list ------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("match"), ordering="group")
    def fixture(self, match):
        """Group key and leg or matchday, then the group's name, the date and the ground."""
        group = match.group
        day = match_label(match)
        details = [group.name]
        if match.kickoff is not None:
            details.append(formats.date_format(timezone.localtime(match.kickoff), "d/m H:i"))
        if match.venue:
            details.append(match.venue)
        url = reverse("admin:tournaments_match_change", args=[match.pk])
        # The link is out of the Tab order: Tab goes from score box to score box.
        return format_html(
            '<a href="{}" tabindex="-1" class="group-key" title="{}">{}</a> {}'
            '<br><small class="fixture-details">{}</small>',
            url,
            _("Details, history, award"),
            group.key,
            day,
            " · ".join(details),
        )

    def action_checkbox(self, obj):
        html = super().action_checkbox(obj)
        # The checkbox is Django's own safe HTML; only a tabindex is added to it.
        return mark_safe(html.replace("<input ", '<input tabindex="-1" ', 1))

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Results day"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_changelist_form(self, request, **kwargs):
        return ResultRowForm

    def get_changelist_formset(self, request, **kwargs):
        formset = type("ResultFormSet", (ResultFormSet,), {"user": request.user})
        return super().get_changelist_formset(request, formset=formset, **kwargs)

    def save_model(self, request, obj, form, change):
        """Nothing left to write: the services saved the result while the form was checked."""
        if not change:
            super().save_model(request, obj, form, change)

    # The match's own page -----------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MatchForm if obj is not None else MatchAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": MatchAddForm.Meta.fields})]
        result = [("home_goals", "away_goals"), ("home_penalties", "away_penalties")]
        if self.has_change_permission(request, obj):
            result.append("loaded_version")
        return [
            (_("Result"), {"fields": result}),
            (
                _("Fixture"),
                {
                    "fields": [
                        "group",
                        ("home", "away"),
                        ("kind", "matchday"),
                        "kickoff",
                        ("venue", "neutral"),
                    ]
                },
            ),
            (
                _("Status"),
                {
                    "fields": [
                        ("status", "confirmed"),
                        "awarded_reason",
                        ("entered_by", "confirmed_by"),
                        ("version", "updated_at"),
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        return READONLY if obj is not None else ()

    # Actions --------------------------------------------------------------------------------

    @admin.action(
        description=gettext_lazy("Confirm this result"),
        description_plural=gettext_lazy("Confirm the selected results"),
        permissions=["change"],
        location=BOTH_PAGES,
    )
    def confirm_results(self, request, queryset):
        """A second official confirms; the service refuses the one who entered the result."""
        done, refused = 0, []
        for match in queryset.order_by("group_id", "pk"):
            try:
                match_confirm_result(match=match.pk, user=request.user)
                done += 1
            except ValidationError as error:
                refused.extend(error.messages)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d result confirmed.", "%(n)d results confirmed.", done) % {"n": done},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(
        description=gettext_lazy("Award this match (walkover, 3–0)…"),
        description_plural=gettext_lazy("Award the selected match (walkover, 3–0)…"),
        permissions=["change"],
        location=BOTH_PAGES,
    )
    def award_match(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True)[:2])
        if len(ids) != 1:
            self.message_user(request, _("Select exactly one match to award."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:tournaments_match_award", args=[ids[0]]))

    def get_urls(self):
        award = path(
            "<path:object_id>/award/",
            self.admin_site.admin_view(self.award_view),
            name="tournaments_match_award",
        )
        return [award, *super().get_urls()]

    def award_view(self, request, object_id):
        """The intermediate page of the award action: which side, the score, the reason."""
        match = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, match):
            raise PermissionDenied
        form = AwardForm(request.POST or None, match=match, user=request.user)
        if request.method == "POST" and form.is_valid():
            self.log_change(request, form.saved, [{"changed": {"fields": ["awarded"]}}])
            self.message_user(
                request,
                _("%(match)s was awarded %(score)s.")
                % {"match": match, "score": f"{form.saved.home_goals}–{form.saved.away_goals}"},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:tournaments_match_change", args=[match.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Award a match"),
            "subtitle": str(match),
            "opts": self.opts,
            "match": match,
            "form": form,
            "errors": helpers.AdminErrorList(form, []),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/tournaments/match/award.html", context)

    # History --------------------------------------------------------------------------------

    def revert_disabled(self, request, obj=None):
        """Going back to an old version would bypass the services: never offered."""
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ResultHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=["version", "updated_at"],
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current
