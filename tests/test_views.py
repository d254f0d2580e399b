"""The fans' pages: content, links, 404s, languages and a fixed number of queries per page."""

import html
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tests.test_selectors import SEED_ORDER
from tournaments import caching, selectors
from tournaments.models import Match, MatchStatus, Season, StageKind, Team
from tournaments.services.simulation import season_play_simulated

pytestmark = pytest.mark.django_db

SEASON_FILE = Path(__file__).resolve().parent.parent / "data" / "copa-peru-2003.json"
REGIONS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@pytest.fixture
def season_2003():
    """The 2003 shape with a few invented results and one corrected result (tests only)."""
    data = f.build_2003_with_results()
    first = data["groups"]["R2"].matches.order_by("id").first()
    f.play(first, 1, 0)
    f.play(first, 2, 1)  # a correction of a confirmed result
    return data


# (path, queries, texts the page must show) on the 2003-shaped season, in Spanish.
PAGES = [
    (
        "/",
        7,
        ["Copa Perú 2003", "Etapa Regional", "Región VIII", "Últimos resultados", "Próximos"],
    ),
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
    ("/2003/partidos/", 5, ["Partidos y resultados", "Fecha por confirmar", "Flamengo"]),
    ("/2003/partidos/?fecha=sin-fecha&pagina=1", 5, ["Fecha por confirmar"]),
    ("/2003/partidos/?fecha=sin-fecha&orden=group", 5, ['aria-sort="ascending"']),
    ("/2003/correcciones/", 3, ["Correcciones de resultados", "1–0", "2–1", "Región II"]),
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


def test_a_team_page_links_to_its_calendar(client, season_2003):
    page = client.get("/2003/equipos/sporting-pizarro/").content.decode()
    link = re.search(r'<a href="([^"]+\.ics)"', page)
    assert link and "calendario" in page
    calendar = client.get(html.unescape(link.group(1)))
    assert calendar.status_code == 200 and calendar["Content-Type"].startswith("text/calendar")
    assert "Sporting Pizarro" in calendar.content.decode()


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


NO_COOKIE = [
    "/",
    "/2003/regional/I/",
    "/2003/nacional/",
    "/2003/correcciones/",
    "/2003/departamental/exportar.csv",
    "/2003/partidos/exportar.csv",
]


def test_public_pages_set_no_cookie(client, season_2003):
    for path in NO_COOKIE:
        response = client.get(path)
        assert response.status_code == 200 and not response.cookies, path
    response = client.get("/2003/regional/I/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and not response.cookies


def test_departmental_qualifiers_are_listed_as_in_the_season_document(client, season_2003):
    page = client.get("/2003/departamental/").content.decode()
    found = re.findall(r'<a href="/2003/equipos/[^"]+/">([^<]+)</a>', page)
    assert [html.unescape(name) for name in found] == SEED_ORDER


def test_national_bracket_has_a_column_per_round(client, season_2003):
    page = client.get("/2003/nacional/").content.decode()
    assert page.count('<section class="round"') == 3
    assert page.count('class="node') == 7
    assert "Ganador Región VIII" in page


def test_every_team_name_links_to_its_page(client, season_2003):
    page = client.get("/2003/regional/I/").content.decode()
    for name in ["Atlético Grau", "Flamengo", "Banco de la Nación"]:
        slug = Team.objects.get(name=name).slug
        assert f'<a href="/2003/equipos/{slug}/">{html.escape(name)}</a>' in page


def crawl_pages(client, start="/", limit=200) -> dict[str, str]:
    """Follow links from `start` like a fan would (not exports): {path: page}."""
    pages, queue = {}, [start]
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = page = response.content.decode()
        for href in re.findall(r'href="([^"#]+)"', page):
            url = urlparse(urljoin("http://testserver" + path, html.unescape(href)))
            target = url.path + (f"?{url.query}" if url.query else "")
            skipped = ("/static", "/admin", "/idioma")
            export = url.path.endswith((".csv", ".ics"))
            if url.netloc == "testserver" and not target.startswith(skipped) and not export:
                queue.append(target)
    return pages


def crawl(client, limit=200):
    """The texts of the pages a fan reaches from /, and how many pages those are."""
    pages = crawl_pages(client, limit=limit)
    texts = [html.unescape(re.sub(r"<[^>]+>", " ", page)) for page in pages.values()]
    return " ".join(texts), len(pages)


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
    "/{y}/partidos/": 5,
    "/{y}/partidos/?fecha=sin-fecha": 5,
    "/{y}/partidos/?orden=-group": 5,
    "/{y}/correcciones/": 3,
    # CSV exports
    "/{y}/departamental/exportar.csv": 2,
    "/{y}/grupos/S{y}-R1-G0/exportar.csv": 3,
    "/{y}/partidos/exportar.csv": 5,
    "/{y}/correcciones/exportar.csv": 3,
}
# The live parts the pages refresh (asked with the HX-Request header).
PARTIAL_QUERIES = {
    "/{y}/regional/I/": 5,
    "/{y}/nacional/": 4,
    "/{y}/grupos/S{y}-R1-G0/": 3,
    "/{y}/equipos/s{y}-r1-g0-equipo-00/": 5,
}


def _correct_results(year, count):
    """Change `count` confirmed results of a season (corrections for its public list)."""
    confirmed = Match.objects.filter(
        group__season__year=year, status=MatchStatus.PLAYED, confirmed=True
    ).order_by("id")[:count]
    for match in confirmed:
        f.play(match, match.home_goals + 1, match.away_goals)


def _count(client, template, year, **headers):
    caching.clear()  # the rendering's own cost, not the page cache's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(template.format(y=year), **headers)
    assert response.status_code == 200, template
    assert len(response.content) < 100_000, template
    return len(queries)


def test_pages_make_the_same_queries_for_a_season_ten_times_larger(client):
    f.build_scaled(2020, **SMALL)
    f.build_scaled(2021, **LARGE)
    _correct_results(2020, 1)
    _correct_results(2021, 10)
    small, large = (Team.objects.filter(slug__startswith=f"s{y}").count() for y in (2020, 2021))
    assert large == 10 * small
    counted, partials = {}, {}
    for year in (2020, 2021):
        for template in [*PAGE_QUERIES, "/"]:
            counted.setdefault(template, set()).add(_count(client, template, year))
        for template in PARTIAL_QUERIES:
            queries = _count(client, template, year, HTTP_HX_REQUEST="true")
            partials.setdefault(template, set()).add(queries)
    assert counted == {**{t: {n} for t, n in PAGE_QUERIES.items()}, "/": {7}}
    assert partials == {t: {n} for t, n in PARTIAL_QUERIES.items()}


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


def test_the_home_page_shows_the_latest_real_season_and_what_comes_next(client, season_2003):
    f.make_season(2031, simulated=True)  # later, but simulated
    f.make_season(2002)  # real, but earlier
    upcoming = season_2003["groups"]["R2"].matches.order_by("id")[1]
    upcoming.kickoff = timezone.now() + timedelta(days=2)
    upcoming.venue = "Estadio Mansiche"
    upcoming.save()
    page = client.get("/").content.decode()
    assert '<h2><a href="/2003/">Copa Perú 2003</a></h2>' in page
    assert "Datos simulados" not in page  # the current season is the real one
    next_matches = page[page.index("Próximos partidos") :]
    assert "Estadio Mansiche" in next_matches
    assert f'href="/2003/equipos/{upcoming.home.team.slug}/"' in next_matches
    assert 'href="/2003/correcciones/"' in page


def test_the_home_page_of_a_site_with_only_a_simulated_season_shows_it_labelled(client):
    f.build_scaled(2031, **SMALL)
    Season.objects.filter(year=2031).update(simulated=True)
    page = client.get("/").content.decode()
    assert "Copa Perú 2031" in page and "Datos simulados" in page


def test_every_page_of_a_simulated_season_says_it_is_simulated(client):
    f.build_scaled(2031, **SMALL)
    Season.objects.filter(year=2031).update(simulated=True)
    _correct_results(2031, 1)
    pages = crawl_pages(client)
    assert "/2031/correcciones/" in pages and "/2031/nacional/" in pages and len(pages) > 20
    unlabelled = [path for path, page in pages.items() if "Datos simulados" not in page]
    assert unlabelled == []


def test_the_bracket_marks_the_team_promoted_by_the_final(client):
    data = f.build_2003(year=2031)
    data["season"].simulated = True
    data["season"].save()
    season_play_simulated(season=data["season"], seed=7)
    final = selectors.group_detail(2031, "FINAL")[1]
    (champion,) = final.qualified
    page = client.get("/2031/nacional/").content.decode()
    assert f"{champion.name} asciende a Primera División." in page
    node = page[page.index('<article class="node tie-node final-node" id="FINAL">') :]
    node = node[: node.index("</article>")]
    assert f"Asciende: {champion.name}" in node
    assert re.search(r'<li class="won"><a href="[^"]+">' + re.escape(champion.name), node)
    assert page.count("final-node") == 1


def test_a_final_group_promotes_its_top_two(client):
    season = f.make_season(2040)
    teams = [f.make_team(f"Finalista {n}", f.make_department("Lima")) for n in range(4)]
    group = f.make_group(
        season, StageKind.NATIONAL, "FG", "Grupo final", teams, format="single_rr", qualify=2
    )
    for match in f.schedule(group):
        home, away = match.home.team, match.away.team
        f.play(match, *((1, 0) if home.name < away.name else (0, 1)))  # lower names win
    page = client.get("/2040/nacional/").content.decode()
    assert "Grupo final" in page
    assert "Finalista 0, Finalista 1 ascienden a Primera División." in page


def test_the_fixtures_can_be_sorted_by_group_or_time(client):
    f.build_scaled(2020, **SMALL)
    day = "2020-08-02"
    by_group = client.get(f"/2020/partidos/?fecha={day}&orden=-group").content.decode()
    keys = re.findall(r'<td><a href="/2020/grupos/([^/]+)/">', by_group)
    assert keys == sorted(keys, reverse=True) and len(set(keys)) > 1
    assert 'aria-sort="descending"' in by_group
    assert f'href="?fecha={day}&amp;orden=group"' in by_group  # the header link flips it
    assert f"/2020/partidos/exportar.csv?orden=-group&amp;fecha={day}" in by_group


def test_tables_have_captions_and_header_cells(client, season_2003):
    for path in ["/2003/regional/IV/", "/2003/departamental/", "/2003/correcciones/"]:
        page = client.get(path).content.decode()
        tables = re.findall(r"<table.*?</table>", page, re.S)
        assert tables, path
        for table in tables:
            assert "<caption>" in table and '<th scope="col">' in table
            assert '<th scope="row">' in table, path
    page = client.get("/2003/regional/IV/").content.decode()
    assert '<a class="skip" href="#main">' in page and '<main id="main"' in page
    assert '<span class="sr">Situación</span>' in page  # the marks' column, for screen readers


STATIC = Path(__file__).resolve().parent.parent / "static"


def test_a_live_group_page_weighs_under_100_kb_on_a_first_visit(client, season_2003):
    match = season_2003["groups"]["R1-B"].matches.order_by("id").first()
    match.kickoff = timezone.now()
    match.save()
    page = client.get("/2003/grupos/R1-B/").content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', page)
    assert sorted(assets) == ["css/site.css", "js/live.js"]
    assert not re.search(r'(?:href|src)="(?:https?:)?//', page)  # nothing from other hosts
    weight = len(page.encode()) + sum((STATIC / name).stat().st_size for name in assets)
    assert weight < 100_000


def test_a_cached_page_is_served_without_a_query_until_a_result_changes(client):
    f.build_scaled(2020, **SMALL)
    first = client.get("/2020/regional/I/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/2020/regional/I/")
    assert len(queries) == 0 and again.content == first.content
    assert (
        again["ETag"]
        and client.get("/2020/regional/I/", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304
    )
    match = Match.objects.filter(group__season__year=2020, status="scheduled").first()
    Match.objects.filter(pk=match.pk).update(venue="Estadio Nuevo")  # no signal: bulk write
    assert client.get("/2020/regional/I/").content == first.content
    match.venue = "Estadio Nuevo"
    match.save()  # a model save retires every cached page
    with CaptureQueriesContext(connection) as queries:
        client.get("/2020/regional/I/")
    assert len(queries) > 0
