"""The official's scope in the admin: what is out of it does not exist for them.

Every queryset (lists, filters, actions, bulk edits, inlines, typed URLs) is filtered by
tournaments.permissions; an object outside the scope answers 404 on its pages and is refused
by the per-object permission checks; foreign-key choices offer only what is in scope.
"""

import re

from django.contrib import admin
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from tournaments import permissions
from tournaments.models import Group, Place, Region, Season, Stage


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose objects are limited to the official's scope.

    Subclasses say how a queryset is narrowed (`scope_queryset`) and whether one object may be
    seen (`can_see`) and changed (`can_change`).
    """

    def scope_queryset(self, queryset, user):
        return queryset

    def can_see(self, user, obj) -> bool:
        return True

    def can_change(self, user, obj) -> bool:
        return self.can_see(user, obj)

    def get_queryset(self, request):
        return self.scope_queryset(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        """Outside the scope, by a typed URL too, a page answers 404 (not a redirect)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("There is no such item within your regions."))
        return obj

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or (obj.pk is not None and self.can_see(request.user, obj)))

    def has_change_permission(self, request, obj=None):
        # An unsaved object here is a row smuggled into a bulk edit: never changeable.
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or (obj.pk is not None and self.can_change(request.user, obj))
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or (obj.pk is not None and self.can_change(request.user, obj))
        )

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_save" in request.POST and self.list_editable:
            self.refuse_rows_out_of_scope(request)
        return super().changelist_view(request, extra_context)

    def refuse_rows_out_of_scope(self, request) -> None:
        """A bulk edit naming any row outside the scope (a typed POST) is refused whole.

        So is one with more rows than it was given (the list never adds objects).
        """
        if request.POST.get("form-TOTAL_FORMS") != request.POST.get("form-INITIAL_FORMS"):
            raise BadRequest("A bulk edit cannot add rows.")
        pattern = re.compile(r"^form-\d+-id$")
        posted = {value for key, value in request.POST.items() if pattern.match(key)}
        try:
            ids = {int(value) for value in posted}
        except ValueError:
            raise PermissionDenied from None
        if self.get_queryset(request).filter(pk__in=ids).count() != len(ids):
            raise PermissionDenied

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = scoped_choices(db_field.related_model, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def scoped_choices(model, user):
    """The choices a foreign key to `model` may offer this user (None: no limit)."""
    if model is Season:
        return permissions.seasons_visible(Season.objects.all(), user)
    if model is Stage:
        stages = Stage.objects.select_related("season")
        return permissions.seasons_visible(stages, user, field="season_id")
    if model is Region:
        return permissions.regions_in_scope(Region.objects.select_related("season"), user)
    if model is Group:
        return permissions.groups_in_scope(Group.objects.all(), user)
    if model is Place:
        return permissions.places_in_scope(Place.objects.select_related("team", "group"), user)
    return None


class ScopedInline:
    """Inline choices limited to the scope, like the page's own."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = scoped_choices(db_field.related_model, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AllOrNothingMixin:
    """A page saved with errors keeps nothing: a re-shown form rolls back what ran before it.

    The forms call the services while validating; when any part of the page (another inline,
    the object's own fields) is then found invalid and the page is shown again, every write of
    this request is rolled back.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if response.status_code == 200:
                transaction.set_rollback(True)
        return response
