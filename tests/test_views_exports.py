"""CSV exports: every table's export has the same rows and cells as the table on its page."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from tests import factories as f
from tournaments.models import Season

pytestmark = pytest.mark.django_db


class Tables(HTMLParser):
    """The tables of a page as rows of cell texts, as a reader sees or hears them.

    Text inside aria-hidden elements (the marks' symbols, sort arrows) is left out; text for
    screen readers only (class "sr") is kept.
    """

    def __init__(self, page: str):
        super().__init__()
        self.tables, self.row, self.cell, self.hidden = [], None, None, 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if self.hidden or dict(attrs).get("aria-hidden") == "true":
            self.hidden += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden -= 1
        elif tag in ("td", "th"):
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            self.tables[-1].append(self.row)

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def exports(page: str) -> list[str]:
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'<p class="export"><a href="([^"]+)" download>', page)
    ]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="copa-peru-')
    return list(csv.reader(io.StringIO(response.content.decode())))


def assert_exports_match_tables(client, path, tables=None):
    page = client.get(path).content.decode()
    found, links = Tables(page).tables, exports(page)
    assert len(found) == len(links) == (tables or len(found)) > 0, path
    for table, link in zip(found, links, strict=True):
        assert csv_rows(client.get(link)) == table, link
    return found


@pytest.fixture
def season_2003():
    data = f.build_2003_with_results()
    for match in data["groups"]["R2"].matches.order_by("id")[:2]:
        f.play(match, 1, 0)
        f.play(match, 1, 1, venue="Estadio Mansiche")  # corrected
    return data


@pytest.mark.parametrize(
    ("path", "tables"),
    [
        ("/2003/departamental/", 1),
        ("/2003/regional/IV/", 1),  # an awarded result and a provisional one
        ("/2003/grupos/R1-B/", 1),
        ("/2003/partidos/?fecha=sin-fecha", 1),
        ("/2003/partidos/?fecha=sin-fecha&orden=-group&pagina=1", 1),
        ("/2003/correcciones/", 1),
        ("/2003/equipos/defensor-morrope/", 1),
    ],
)
def test_a_csv_export_has_the_rows_of_its_table(client, season_2003, path, tables):
    assert_exports_match_tables(client, path, tables)


def test_the_qualifiers_export_lists_every_team_in_the_pages_order(client, season_2003):
    rows = csv_rows(client.get("/2003/departamental/exportar.csv"))
    assert rows[0] == ["Departamento", "Equipo", "Localidad"]
    assert rows[1] == ["Amazonas", "Banco de la Nación", "Chachapoyas"]
    assert len(rows) == 1 + 27


def test_standings_export_says_the_marks_in_words(client, season_2003):
    (table,) = assert_exports_match_tables(client, "/2003/grupos/R4/")
    assert table[0][-1] == "Situación" and table[0][:3] == ["Pos", "Equipo", "PJ"]
    meanings = {"Aún en carrera", "Eliminado", "A lo sumo un desempate", "Clasificado"}
    assert {row[-1] for row in table[1:]} <= meanings


def test_a_day_of_fixtures_exports_with_its_results_and_grounds(client):
    f.build_scaled(2020, regions=2, groups_per_region=2, teams_per_group=3)
    results = set()
    for day in ("2020-08-02", "2020-08-03"):
        (table,) = assert_exports_match_tables(client, f"/2020/partidos/?fecha={day}")
        assert table[0] == ["Hora", "Grupo", "Local", "Resultado", "Visitante", "Estadio"]
        results |= {row[3] for row in table[1:]}
    assert "3–0 (adj.)" in results and "1–1 provisional" in results


def test_playoff_tables_export_apart(client, season_2003):
    """Rule 4's example: A 9, B 3, C 3, D 3 with two places → B, C, D play a round robin."""
    group = season_2003["groups"]["R2"]
    group.qualify = 2
    group.save()
    group.matches.update(status="scheduled", home_goals=None, away_goals=None)
    a, b, c, d = (place.team for place in group.places.order_by("position"))
    for winner, loser in [(a, b), (a, c), (a, d), (b, c), (c, d), (d, b)]:
        f.score(group, winner, loser, 1, 0)
    places = {place.team: place for place in group.places.all()}
    for home, away in [(b, c), (b, d), (c, d)]:  # B wins the playoff
        f.playoff_match(group, places[home], places[away], (2, 0))
    found = assert_exports_match_tables(client, "/2003/grupos/R2/", 2)
    assert [len(table) for table in found] == [5, 4]
    assert client.get("/2003/grupos/R2/exportar.csv?desempate=2").status_code == 404


def test_a_tie_has_no_table_to_export(client, season_2003):
    assert client.get("/2003/grupos/R1-A/exportar.csv").status_code == 404
    assert client.get("/1999/departamental/exportar.csv").status_code == 404


def test_exports_speak_the_visitors_language(client, season_2003):
    client.get("/idioma/en/")
    rows = csv_rows(client.get("/2003/departamental/exportar.csv"))
    assert rows[0] == ["Department", "Team", "Location"]


def test_a_simulated_seasons_exports_say_so_in_their_name(client):
    f.build_scaled(2031, regions=2, groups_per_region=2, teams_per_group=3)
    Season.objects.filter(year=2031).update(simulated=True)
    response = client.get("/2031/grupos/S2031-R1-G0/exportar.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="copa-peru-2031-simulada-S2031-R1-G0.csv"'
    )
