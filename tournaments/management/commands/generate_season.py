"""`generate_season --teams N --seed S`: a simulated nationwide season, played through."""

import time

from django.core.management.base import BaseCommand, CommandError

from tournaments.seasonfile import SeasonFileError, load_season_data
from tournaments.services.simulation import season_play_simulated
from tournaments.simulation import season_document


class Command(BaseCommand):
    help = (
        "Generate a SIMULATED season of N invented clubs through all five stages, with "
        "invented results. It is labelled simulated wherever it shows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--year", type=int, default=2100)
        parser.add_argument("--replace", action="store_true", help="Replace that year's season.")
        parser.add_argument(
            "--no-results", action="store_true", help="Only the structure, no results."
        )

    def handle(self, *args, teams, seed, year, replace, no_results, **options):
        started = time.perf_counter()
        try:
            document = season_document(teams=teams, seed=seed, year=year)
            season = load_season_data(document, replace=replace, source="generate_season")
        except (ValueError, SeasonFileError) as exc:
            raise CommandError(str(exc)) from exc
        built = time.perf_counter()
        played = 0 if no_results else season_play_simulated(season=season, seed=seed)
        self.stdout.write(
            f"Simulated season {year}: {teams} clubs, {played} results "
            f"(structure {built - started:.1f} s, results {time.perf_counter() - built:.1f} s)."
        )
