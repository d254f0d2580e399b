"""The fans' pages: content, links, 404s, languages and a fixed number of queries per page."""

import html
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.test_selectors import SEED_ORDER
from tournaments.models import MatchStatus, Team

pytestmark = pytest.mark.django_db

SEASON_FILE = Path(__file__).resolve().parent.parent / "data" / "copa-peru-2003.json"
REGIONS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@pytest.fixture
def season_2003():
    """The 2003 shape with a few invented results (tests only, never shown as history)."""
    data = f.build_2003()
    groups, t = data["groups"], data["teams"]
    grau, pizarro = t["Atlético Grau"], t["Sporting Pizarro"]
    f.score(groups["R1-A"], grau, pizarro, 2, 0, matchday=1)
    f.score(groups["R1-A"], grau, pizarro, 0, 1, matchday=2)
    a_grau, a_pizarro = f.place_of(groups["R1-A"], grau), f.place_of(groups["R1-A"], pizarro)
    f.playoff_match(groups["R1-A"], a_grau, a_pizarro, (1, 1), (4, 5))
    morrope, valdelomar = t["Defensor Mórrope"], t["Abraham Valdelomar"]
    f.score(
        groups["R4"], morrope, valdelomar, 3, 0, status=MatchStatus.AWARDED, awarded_reason="W.O."
    )
    f.score(groups["R4"], morrope, t["Nicolás de Piérola"], 0, 2, confirmed=False)
    return data


# (path, queries, texts the page must show) on the 2003-shaped season, in Spanish.
PAGES = [
    ("/", 5, ["Copa Perú 2003", "Etapa Regional", "Región VIII", "Últimos resultados"]),
    ("/2003/", 4, ["Etapa Distrital", "Etapa Nacional", "Región I", "Amazonas"]),
    ("/2003/departamental/", 2, ["Departamento", "Equipo", "Localidad", "Chachapoyas"]),
    ("/2003/departamental/grupos/", 2, ["Etapa Departamental"]),
    ("/2003/distrital/", 2, ["Etapa Distrital"]),
    ("/2003/provincial/", 2, ["Etapa Provincial"]),
    ("/2003/regional/", 4, ["Región I", "Región VIII", "Huancavelica"]),
    (
        "/2003/regional/I/",
        5,
        ["Región I", "Grupo A", "Grupo B", "Ganador Grupo A", "Tercer partido", "4–5"],
    ),
    (
        "/2003/regional/3/",
        5,
        ["Región III", "Estructura supuesta: todos contra todos en una rueda"],
    ),
    ("/2003/regional/IV/", 5, ["3–0", "(adj.)", 'title="W.O."', "provisional"]),
    ("/2003/nacional/", 4, ["Cuartos de final", "Semifinales", "Ganador Región I", "Final"]),
    ("/2003/grupos/R1-B/", 3, ["Grupo B", "Flamengo", "Juan Aurich", "Banco de la Nación"]),
    ("/2003/equipos/", 2, ["Atlético Grau", "San Juan", "Ucayali"]),
    ("/2003/equipos/sporting-pizarro/", 5, ["Sporting Pizarro", "Grupo A", "penales"]),
    ("/2003/partidos/", 4, ["Partidos y resultados", "Fecha por confirmar", "Flamengo"]),
    ("/2003/partidos/?fecha=sin-fecha&pagina=1", 4, ["Fecha por confirmar"]),
]


@pytest.mark.parametrize(("path", "queries", "texts"), PAGES)
def test_every_page_shows_its_content_with_few_queries(
    client, season_2003, django_assert_num_queries, path, queries, texts
):
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es">' in page
    for text in texts:
        assert text in page, text
    assert len(response.content) < 100_000


NOT_FOUND = [
    "/1999/",
    "/1999/departamental/",
    "/1999/regional/",
    "/1999/nacional/",
    "/1999/equipos/",
    "/1999/partidos/",
    "/2003/regional/IX/",
    "/2003/regional/nada/",
    "/2003/equipos/nadie/",
    "/2003/grupos/R9-Z/",
    "/2003/partidos/?fecha=ayer",
    "/2003/partidos/?fecha=2003-01-01",
    "/2003/distrital/?pagina=uno",
]


def test_unknown_years_regions_teams_groups_and_dates_are_not_found(client, season_2003):
    answers = {path: client.get(path).status_code for path in NOT_FOUND}
    assert answers == dict.fromkeys(NOT_FOUND, 404)


def test_a_team_with_no_place_that_season_is_not_found(client, season_2003):
    f.make_team("Equipo Sin Temporada", f.make_department("Lima"))
    assert client.get("/2003/equipos/equipo-sin-temporada/").status_code == 404


def test_spanish_by_default_and_english_after_the_switch(client, season_2003):
    page = client.get("/2003/regional/I/").content.decode()
    assert '<html lang="es">' in page and "Región I" in page and "Etapa Regional" in page
    assert 'href="/idioma/en/"' in page
    response = client.get("/idioma/en/", HTTP_REFERER="http://testserver/2003/regional/I/")
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/2003/regional/I/"
    response = client.get("/idioma/en/", {"next": "/2003/regional/I/"})
    assert response.status_code == 302 and response["Location"] == "/2003/regional/I/"
    page = client.get("/2003/regional/I/").content.decode()
    assert '<html lang="en">' in page and "<h1>Region I</h1>" in page
    assert "Regional stage" in page and "Etapa Regional" not in page


def test_a_browser_asking_for_english_still_gets_spanish_first(client, season_2003):
    page = client.get("/2003/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="es">' in page


def test_the_language_switch_never_redirects_to_another_site(client):
    response = client.get("/idioma/en/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    response = client.get("/idioma/en/", HTTP_REFERER="https://evil.example/x")
    assert response["Location"] == "/"
    assert client.get("/idioma/fr/").status_code == 404


def test_public_pages_set_no_cookie(client, season_2003):
    assert not client.get("/2003/regional/I/").cookies


def test_departmental_qualifiers_are_listed_as_in_the_season_document(client, season_2003):
    page = client.get("/2003/departamental/").content.decode()
    found = re.findall(r'<a href="/2003/equipos/[^"]+/">([^<]+)</a>', page)
    assert [html.unescape(name) for name in found] == SEED_ORDER


def test_national_bracket_has_a_column_per_round(client, season_2003):
    page = client.get("/2003/nacional/").content.decode()
    assert page.count('<section class="round">') == 3
    assert page.count('class="node') == 7
    assert "Ganador Región VIII" in page


def test_every_team_name_links_to_its_page(client, season_2003):
    page = client.get("/2003/regional/I/").content.decode()
    for name in ["Atlético Grau", "Flamengo", "Banco de la Nación"]:
        slug = Team.objects.get(name=name).slug
        assert f'<a href="/2003/equipos/{slug}/">{html.escape(name)}</a>' in page


def crawl(client, limit=200):
    """Follow links from / like a fan would: (texts of pages seen, number of pages)."""
    seen, queue, texts = set(), ["/"], []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        texts.append(html.unescape(re.sub(r"<[^>]+>", " ", page)))
        for href in re.findall(r'href="([^"#]+)"', page):
            url = urlparse(urljoin("http://testserver" + path, html.unescape(href)))
            target = url.path + (f"?{url.query}" if url.query else "")
            skipped = ("/static", "/admin", "/idioma")
            if url.netloc == "testserver" and not target.startswith(skipped):
                queue.append(target)
    return " ".join(texts), len(seen)


def _found(text):
    teams = [t for t in SEED_ORDER if re.search(r"(?<!Columna )" + re.escape(t), text)]
    regions = [n for n in REGIONS if re.search(r"Regi[oó]n\s+" + n + r"\b", text)]
    return teams, regions


def test_a_crawler_from_the_home_page_finds_every_team_and_region(client, season_2003):
    text, pages = crawl(client)
    teams, regions = _found(text)
    assert teams == SEED_ORDER
    assert regions == REGIONS
    assert pages < 200


SMALL = {"regions": 2, "groups_per_region": 2, "teams_per_group": 3}  # 12 teams
LARGE = {"regions": 4, "groups_per_region": 5, "teams_per_group": 6}  # 120 teams

PAGE_QUERIES = {
    "/{y}/": 4,
    "/{y}/departamental/": 2,
    "/{y}/distrital/": 5,
    "/{y}/regional/": 4,
    "/{y}/regional/I/": 5,
    "/{y}/nacional/": 4,
    "/{y}/grupos/S{y}-R1-G0/": 3,
    "/{y}/equipos/": 2,
    "/{y}/equipos/s{y}-r1-g0-equipo-00/": 5,
    "/{y}/partidos/": 4,
    "/{y}/partidos/?fecha=sin-fecha": 4,
}


def test_pages_make_the_same_queries_for_a_season_ten_times_larger(client):
    f.build_scaled(2020, **SMALL)
    f.build_scaled(2021, **LARGE)
    small, large = (Team.objects.filter(slug__startswith=f"s{y}").count() for y in (2020, 2021))
    assert large == 10 * small
    counted = {}
    for template in [*PAGE_QUERIES, "/"]:
        for year in (2020, 2021):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(template.format(y=year))
            assert response.status_code == 200, template
            assert len(response.content) < 100_000, template
            counted.setdefault(template, set()).add(len(queries))
    assert counted == {**{t: {n} for t, n in PAGE_QUERIES.items()}, "/": {5}}


@pytest.mark.skipif(not SEASON_FILE.exists(), reason="data/copa-peru-2003.json not written yet")
def test_the_2003_season_file_loads_and_every_team_and_region_is_reachable(client):
    call_command("load_season", str(SEASON_FILE))
    text, _pages = crawl(client)
    teams, regions = _found(text)
    assert teams == SEED_ORDER
    assert regions == REGIONS
    page = client.get("/2003/departamental/").content.decode()
    found = re.findall(r'<a href="/2003/equipos/[^"]+/">([^<]+)</a>', page)
    assert [html.unescape(name) for name in found] == SEED_ORDER
    assert "Ganador Región I" in client.get("/2003/nacional/").content.decode()
