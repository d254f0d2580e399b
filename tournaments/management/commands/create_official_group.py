"""Create (or refresh) the "Officials" auth group with what a league official needs.

An official sees the whole season's frame and changes groups, places and matches; what they
may touch is then narrowed to their regions by their OfficialAssignment rows. Seasons,
regions, stages and assignments stay with superusers. Run it again after a new model.
"""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

OFFICIALS = "Officials"
PERMISSIONS = {
    "view": [
        "department",
        "team",
        "season",
        "region",
        "stage",
        "group",
        "place",
        "match",
        "officialassignment",
        "historicalmatch",
    ],
    "add": ["team", "group", "place", "match"],
    "change": ["team", "group", "place", "match"],
}


def official_permissions() -> list[Permission]:
    """The permissions of the Officials group, all from the tournaments app."""
    codenames = [f"{action}_{model}" for action, models in PERMISSIONS.items() for model in models]
    found = list(
        Permission.objects.filter(content_type__app_label="tournaments", codename__in=codenames)
    )
    missing = set(codenames) - {permission.codename for permission in found}
    if missing:
        raise LookupError(f"Missing permissions (run migrate first): {sorted(missing)}")
    return found


def ensure_officials_group() -> Group:
    """The Officials group with exactly the permissions above."""
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=OFFICIALS)
        group.permissions.set(official_permissions())
    return group


class Command(BaseCommand):
    help = 'Create or refresh the "Officials" group (then add users and OfficialAssignments).'

    def handle(self, *args, **options):
        group = ensure_officials_group()
        self.stdout.write(
            self.style.SUCCESS(
                f'Group "{group.name}" has {group.permissions.count()} permissions. Give each '
                "official is_staff, this group, and an OfficialAssignment (a region, or none "
                "for the whole season)."
            )
        )
