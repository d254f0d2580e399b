"""`manage.py export_season YEAR [-o FILE]`: write a season in the season-file format."""

import json

from django.core.management.base import BaseCommand, CommandError

from tournaments.models import Season
from tournaments.seasonfile import season_to_data


class Command(BaseCommand):
    help = "Write a season as a season file (UTF-8 JSON) to standard output or to a file."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="the season's year, e.g. 2003")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, year: int, output: str | None, **options):
        season = Season.objects.filter(year=year).first()
        if season is None:
            years = ", ".join(str(y) for y in Season.objects.values_list("year", flat=True))
            raise CommandError(
                f"There is no {year} season. Seasons in the database: {years or 'none'}."
            )
        text = json.dumps(season_to_data(season), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
        self.stdout.write(f"Wrote the {year} season to {output}.")
