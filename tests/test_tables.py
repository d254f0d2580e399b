"""The pages' standings and match lists: built in Python for speed, the same as the reference.

Pages show a group's standings as `Standings`, without a django-tables2 table; GroupTable
(django-tables2) stays the reference and makes the CSV export. Both must render the same
table, whatever the rows, marks, language or highlighted team.
"""

from datetime import UTC, datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests import factories as f
from tournaments import selectors
from tournaments.models import GroupFormat
from tournaments.tables import GroupTable, Standings
from tournaments.templatetags.copa import match_list

pytestmark = pytest.mark.django_db


def tables_of(group, year, highlight=None):
    """The group's standings and playoff tables, each as Standings and as GroupTable."""
    found = []
    for rows in [group.rows] + [rows for _round, rows in group.playoff_tables]:
        options = {"caption": "Tabla", "year": year, "export_url": "/exportar.csv?a=1&b=2"}
        found.append(
            (
                Standings(rows, highlight=highlight, **options),
                GroupTable(rows, highlight=highlight, **options),
            )
        )
    return found


def play_off_region_ii(data):
    """Rule 4's example in Region II: A 9, B 3, C 3, D 3 with two places; B, C and D play a
    round robin playoff, which B wins (as in test_views_exports)."""
    group = data["groups"]["R2"]
    group.qualify = 2
    group.save()
    a, b, c, d = (place.team for place in group.places.order_by("position"))
    for winner, loser in [(a, b), (a, c), (a, d), (b, c), (c, d), (d, b)]:
        f.score(group, winner, loser, 1, 0)
    places = {place.team: place for place in group.places.all()}
    for home, away in [(b, c), (b, d), (c, d)]:
        f.playoff_match(group, places[home], places[away], (2, 0))


@pytest.mark.parametrize("language", ["es", "en"])
def test_standings_render_exactly_as_the_group_table(language):
    """Every group of seasons with results of every kind (awarded, provisional, a playoff
    table, decided and outlook marks), each team highlighted in turn as its page does."""
    play_off_region_ii(f.build_2003_with_results())
    f.build_scaled(2020, regions=2, groups_per_region=2, teams_per_group=4)
    assert selectors.group_detail(2003, "R2")[1].playoff_tables
    compared = 0
    with translation.override(language):
        for year in (2003, 2020):
            _season, groups = selectors.season_groups(year)
            for group in groups:
                if group.format == GroupFormat.TWO_LEGGED_TIE:
                    continue
                for highlight in [None, *(slot.key for slot in group.slots)]:
                    for standings, table in tables_of(group, year, highlight):
                        assert standings.html() == table.html()
                        compared += 1
    assert compared > 50


def test_a_table_without_rows_says_so_across_its_columns():
    standings, table = Standings([], year=2003), GroupTable([], year=2003)
    assert standings.html() == table.html()
    assert '<tr><td colspan="11">—</td></tr>' in standings.html()


def test_match_times_follow_the_language_and_the_time_zone():
    """Kickoffs are formatted once per local time and language, then reused: the same text
    as formatting each one, in each language and time zone."""
    data = f.build_2003_with_results()
    group = data["groups"]["R2"]
    kickoff = datetime(2003, 8, 2, 20, 30, tzinfo=UTC)  # 15:30 in Lima
    group.matches.update(kickoff=kickoff)
    matches = selectors.group_detail(2003, "R2")[1].matches
    shown = {}
    for language in ("es", "en"):
        for zone in ("America/Lima", "UTC"):
            with translation.override(language), timezone.override(zone):
                expected = date_format(timezone.localtime(kickoff), "j M, H:i")
                html = match_list(matches, 2003)
                assert html.count(f"· {expected}</span>") == len(matches)
                shown[language, zone] = expected
    assert len(set(shown.values())) == 4
    assert shown["en", "America/Lima"] == "2 Aug, 15:30"
