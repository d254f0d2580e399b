"""`manage.py load_season FILE [--replace] [--if-empty]`: load a season file, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from tournaments.models import Group, Match, Season
from tournaments.seasonfile import SeasonFileError, load_season_file


class Command(BaseCommand):
    help = (
        "Load a season file (docs/season-format.md). Every problem is listed with its place "
        "in the file and nothing is saved unless the whole file is right."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the season file (JSON)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the season of the same year if it exists (in one transaction)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only when the database has no season yet (otherwise skip)",
        )

    def handle(self, *args, file: str, replace: bool, if_empty: bool, **options):
        if if_empty and Season.objects.exists():
            years = ", ".join(str(y) for y in Season.objects.values_list("year", flat=True))
            self.stdout.write(f"Skipped {file}: the database already has seasons ({years}).")
            return
        try:
            season = load_season_file(file, replace=replace)
        except SeasonFileError as exc:
            raise CommandError(f"{exc}\nNothing was saved.") from None
        groups = Group.objects.filter(season=season).count()
        matches = Match.objects.filter(group__season=season).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {season.name} ({season.year}) from {file}: "
                f"{groups} groups, {matches} matches."
            )
        )
