"""A season's frame in the admin: departments, teams, seasons, regions, stages, assignments.

Departments and teams are shared by every season (model permissions only). A season, its
regions and stages are seen by anyone assigned to the season and changed only by a national
official of it (an assignment with no region) or a superuser.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tournaments import permissions
from tournaments.admin.filters import GroupSeasonFilter
from tournaments.admin.scope import ScopedAdmin
from tournaments.models import Department, OfficialAssignment, Region, Season, Stage, Team
from tournaments.services.progression import season_recompute


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "team_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(teams_total=Count("teams"))

    @admin.display(description=gettext_lazy("teams"), ordering="teams_total")
    def team_count(self, department):
        return department.teams_total


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "town", "department")
    list_filter = ("department",)
    list_select_related = ("department",)
    search_fields = ("name", "town", "department__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("department",)


@admin.register(Season)
class SeasonAdmin(ScopedAdmin):
    list_display = ("year", "name", "confirmation_required", "simulated")
    search_fields = ("name", "year")
    actions = ["advance_qualifiers"]

    def scope_queryset(self, queryset, user):
        return permissions.seasons_visible(queryset, user)

    def can_see(self, user, obj) -> bool:
        return permissions.can_see_season(user, obj.pk)

    def can_change(self, user, obj) -> bool:
        return permissions.can_change_season(user, obj.pk)

    def has_advance_permission(self, request):
        """National officials (a whole-season assignment) and superusers advance qualifiers."""
        scope = permissions.user_scope(request.user)
        return self.has_view_permission(request) and (scope.everything or bool(scope.seasons))

    @admin.action(
        description=gettext_lazy("Advance qualifiers (recompute the whole season)"),
        permissions=["advance"],
    )
    def advance_qualifiers(self, request, queryset):
        """Recompute every group of the season in order and fill the places that follow."""
        for season in queryset:
            if not permissions.can_change_season(request.user, season.pk):
                self.message_user(
                    request,
                    _("Only a national official of %(season)s can do this.") % {"season": season},
                    messages.ERROR,
                )
                continue
            try:
                changed = season_recompute(season=season)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(season)s: %(n)d place filled or changed.",
                    "%(season)s: %(n)d places filled or changed.",
                    changed,
                )
                % {"season": season, "n": changed},
                messages.SUCCESS,
            )


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("__str__", "season", "department_names")
    list_filter = (GroupSeasonFilter,)
    list_select_related = ("season",)
    search_fields = ("departments__name",)
    filter_horizontal = ("departments",)

    def scope_queryset(self, queryset, user):
        return permissions.regions_in_scope(queryset, user).prefetch_related("departments")

    def can_see(self, user, obj) -> bool:
        return permissions.user_scope(user).covers(obj.season_id, obj.pk)

    def can_change(self, user, obj) -> bool:
        return permissions.can_change_season(user, obj.season_id)

    @admin.display(description=gettext_lazy("departments"))
    def department_names(self, region):
        return ", ".join(department.name for department in region.departments.all())


@admin.register(Stage)
class StageAdmin(ScopedAdmin):
    list_display = ("__str__", "season", "kind", "order", "starts_on", "ends_on")
    list_filter = (GroupSeasonFilter, "kind")
    list_select_related = ("season",)

    def scope_queryset(self, queryset, user):
        return permissions.seasons_visible(queryset, user, field="season_id")

    def can_see(self, user, obj) -> bool:
        return permissions.can_see_season(user, obj.season_id)

    def can_change(self, user, obj) -> bool:
        return permissions.can_change_season(user, obj.season_id)


@admin.register(OfficialAssignment)
class OfficialAssignmentAdmin(admin.ModelAdmin):
    """Who may enter results where. Officials see their own assignments; superusers all."""

    list_display = ("user", "season", "scope")
    list_filter = ("season",)
    list_select_related = ("user", "season", "region__season")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user_id=request.user.pk)

    @admin.display(description=gettext_lazy("scope"))
    def scope(self, assignment):
        return assignment.region.name if assignment.region_id else _("whole season")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
