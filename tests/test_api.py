"""The open-data API and the iCal feeds: the examples of docs/api.md replayed, queries counted.

docs/api.md is the contract: every request in it is sent to a database built to match
(`docs_database`: the 2003 shape without results, and the simulated season 2099 with results
of every kind), and the documented status, headers and body must hold. Shortened examples say
so with "…": a "…" key stands for keys left out, a "…" item for items left out, a "…" line of
a feed for lines left out; anything else is compared exactly.
"""

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import resolve, reverse

from tests import factories as f
from tournaments import api, ical
from tournaments.models import GroupFormat, Match, MatchStatus, Region, StageKind, Team

DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"
ELLIPSIS = "…"
LIMA = ZoneInfo("America/Lima")

pytestmark = pytest.mark.django_db


# --- The documented database ----------------------------------------------------------------


def at(day: int, hour: int = 15, minute: int = 30) -> datetime:
    """A kickoff in August 2099, Lima time."""
    return datetime(2099, 8, day, hour, minute, tzinfo=LIMA)


def build_simulated_2099():
    """The docs' simulated season: every kind of result, never passed off as history.

    Region I: Group A (single round robin of four, one qualifies) ends A 7, B 7, C 3, D 0, so
    A and B must play off (an awarded result among them); Llave B is the brief's tie (2–0,
    0–1, third match 1–1, penalties 4–5); Group C (double round robin of three) is under way
    with a provisional result and a match without a date. The national final waits for both.
    """
    season = f.make_season(2099, simulated=True, source="Datos simulados (documentación)")
    region = Region.objects.create(season=season, number=1)
    region.departments.set([f.make_department("Piura"), f.make_department("Tumbes")])
    names = ["Alfa", "Beta", "Gamma", "Delta", "Épsilon", "Zeta", "Eta", "Theta", "Iota"]
    piura = f.make_department("Piura")
    t = {name: f.make_team(f"Simulado {name}", piura, "Piura") for name in names}
    # A long name with a comma and a semicolon: escaped and folded in the iCal feeds.
    t["Iota"].name = "Simulado Iota, Asociación Deportiva; Sullana"
    t["Iota"].save()
    regional = StageKind.REGIONAL
    a = f.make_group(
        season,
        regional,
        "SIM-A",
        "Grupo A",
        [t[n] for n in names[:4]],
        region=region,
        format=GroupFormat.SINGLE_ROUND_ROBIN,
        order=1,
    )
    b = f.make_group(
        season,
        regional,
        "SIM-B",
        "Llave B",
        [t["Épsilon"], t["Zeta"]],
        region=region,
        format=GroupFormat.TWO_LEGGED_TIE,
        order=2,
    )
    c = f.make_group(
        season,
        regional,
        "SIM-C",
        "Grupo C",
        [t["Eta"], t["Theta"], t["Iota"]],
        region=region,
        format=GroupFormat.DOUBLE_ROUND_ROBIN,
        order=3,
    )
    _group_a(a, t)
    _tie_b(b, t)
    _group_c(c, t)
    final = f.make_group(
        season,
        StageKind.NATIONAL,
        "SIM-F",
        "Final",
        [(a, 1, "Ganador Grupo A"), (b, 1, "Ganador Llave B")],
        format=GroupFormat.TWO_LEGGED_TIE,
    )
    f.schedule(final)
    # Rows saved in the past, so each event's DTSTAMP (when its match last changed) is fixed.
    Match.objects.filter(group__season=season).update(updated_at=datetime(2099, 7, 1, tzinfo=UTC))
    return season


def _group_a(group, t):
    for match in f.schedule(group):
        match.kickoff, match.venue = at(2 + 7 * (match.matchday - 1)), "Estadio Miguel Grau, Piura"
        match.save()
    alfa, beta, gamma, delta = (t[n] for n in ("Alfa", "Beta", "Gamma", "Delta"))
    f.score(group, alfa, beta, 1, 1)
    f.score(group, alfa, gamma, 6, 0)
    f.score(group, alfa, delta, 3, 0, status=MatchStatus.AWARDED, awarded_reason="W.O.; Delta")
    f.score(group, beta, gamma, 1, 0)
    f.score(group, beta, delta, 2, 1)
    f.score(group, gamma, delta, 2, 0)
    home, away = f.place_of(group, alfa), f.place_of(group, beta)
    f.playoff_match(group, home, away, kickoff=at(23, 16), venue="Estadio Campeones del 36")


def _tie_b(group, t):
    for match in f.schedule(group):
        match.kickoff, match.venue = at(3 + 7 * (match.matchday - 1)), "Estadio Mariscal Cáceres"
        match.save()
    epsilon, zeta = t["Épsilon"], t["Zeta"]
    f.score(group, epsilon, zeta, 2, 0, matchday=1)
    f.score(group, epsilon, zeta, 0, 1, matchday=2)
    home, away = f.place_of(group, epsilon), f.place_of(group, zeta)
    f.playoff_match(group, home, away, (1, 1), (4, 5), kickoff=at(17), venue="Estadio Nacional")


def _group_c(group, t):
    for match in f.schedule(group, double=True):
        if match.matchday != 5:  # Eta v Iota has no date yet
            match.kickoff = at(2 + 3 * match.matchday, 18)
            match.save()
    f.score(group, t["Eta"], t["Theta"], 2, 0, matchday=1)
    f.score(group, t["Iota"], t["Eta"], 1, 1, matchday=2, confirmed=False)


@pytest.fixture
def docs_database(settings):
    """The database docs/api.md was written against (ids as in a fresh database)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "copaperu.example"]
    f.build_2003()
    build_simulated_2099()


# --- Reading the examples out of docs/api.md ------------------------------------------------


FENCE = re.compile(r"^```(\w+)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
REQUEST_LINE = re.compile(r"([A-Z]+) (/\S*) HTTP/1\.1")


def documented_examples(text: str) -> list[dict]:
    """Each ```http request block with the response head (```http) and body (```json/text)
    that follow it, until the next request."""
    examples = []
    for kind, body in FENCE.findall(text):
        first = body.splitlines()[0] if body.strip() else ""
        request = REQUEST_LINE.fullmatch(first)
        if kind == "http" and request:
            headers = dict(line.split(": ", 1) for line in body.splitlines()[1:] if line)
            examples.append({"method": request[1], "target": request[2], "headers": headers})
        elif kind == "http" and first.startswith("HTTP/") and examples:
            status = int(first.split()[1])
            head = dict(line.split(": ", 1) for line in body.splitlines()[1:] if line)
            examples[-1].update(status=status, response_headers=head)
        elif kind in ("json", "text") and examples:
            examples[-1]["body"] = (kind, body)
    return examples


def mismatch(doc, real, where: str = "$") -> str | None:
    """Where `real` differs from the documented value, or None. See the module's docstring."""
    if isinstance(doc, dict):
        return _object_mismatch(doc, real, where)
    if isinstance(doc, list):
        return _list_mismatch(doc, real, where) if isinstance(real, list) else f"{where}: list?"
    if doc == real and type(doc) is type(real):
        return None
    return f"{where}: documented {doc!r}, got {real!r}"


def _object_mismatch(doc: dict, real, where: str) -> str | None:
    if not isinstance(real, dict):
        return f"{where}: documented an object, got {real!r}"
    keys = [key for key in doc if key != ELLIPSIS]
    if ELLIPSIS not in doc and sorted(real) != sorted(keys):
        return f"{where}: keys {sorted(real)}, documented {sorted(keys)}"
    for key in keys:
        if key not in real:
            return f"{where}: no key {key!r}"
        problem = mismatch(doc[key], real[key], f"{where}.{key}")
        if problem:
            return problem
    return None


def _list_mismatch(doc: list, real: list, where: str) -> str | None:
    position, skipping = 0, False
    for item in doc:
        if item == ELLIPSIS:
            skipping = True
            continue
        candidates = range(position, len(real) if skipping else min(position + 1, len(real)))
        found = next((i for i in candidates if mismatch(item, real[i]) is None), None)
        if found is None:
            if not skipping and position < len(real):
                return mismatch(item, real[position], f"{where}[{position}]")
            return f"{where}: no item from [{position}] matches {json.dumps(item)[:200]}"
        position, skipping = found + 1, False
    if not skipping and position != len(real):
        return f"{where}: {len(real)} items, {position} documented"
    return None


def text_mismatch(doc: str, real: str) -> str | None:
    """Documented lines appear in order; a "…" line stands for any number of lines.

    Trailing spaces are not compared (editors strip them); the iCal tests check folding."""
    lines = [line.rstrip() for line in real.split("\r\n")]
    position, skipping = 0, False
    for expected in (line.rstrip() for line in doc.splitlines()):
        if expected == ELLIPSIS:
            skipping = True
            continue
        if skipping and expected in lines[position:]:
            position = lines.index(expected, position) + 1
        elif not skipping and position < len(lines) and lines[position] == expected:
            position += 1
        else:
            return f"line {position + 1}: documented {expected!r}, got {lines[position:][:1]}"
        skipping = False
    return None


def _send(client, example):
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in example["headers"].items()}
    return client.generic(example["method"], example["target"], **headers)


def _example_problems(client, example) -> list[str]:
    response = _send(client, example)
    problems = []
    if response.status_code != example.get("status", 200):
        problems.append(f"status {response.status_code}")
    for name, value in example.get("response_headers", {}).items():
        if response.get(name) != value:
            problems.append(f"header {name}: {response.get(name)!r}")
    kind, body = example.get("body", ("", ""))
    if kind == "json":
        problems.append(mismatch(json.loads(body), response.json()))
    elif kind == "text":
        problems.append(text_mismatch(body, response.content.decode()))
    return [problem for problem in problems if problem]


def test_the_docs_hold_examples_of_every_endpoint_and_error():
    examples = documented_examples(DOCS.read_text())
    targets = " ".join(e["target"] for e in examples)
    for endpoint in ["/seasons/", "/groups/", "/matches/", "/teams/", "fixtures.ics"]:
        assert endpoint in targets, endpoint
    statuses = {e.get("status", 200) for e in examples}
    assert {200, 400, 404, 405} <= statuses
    assert all("body" in e for e in examples if e["method"] == "GET")


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_every_example_in_the_docs_holds(client, docs_database, subtests):
    """Each documented request gets the documented status, headers and body."""
    for example in documented_examples(DOCS.read_text()):
        with subtests.test(msg=f"{example['method']} {example['target']}"):
            assert _example_problems(client, example) == []


# --- Queries: a fixed number per endpoint, for a season and one ten times larger ------------


SMALL = {"regions": 2, "groups_per_region": 2, "teams_per_group": 3}  # 12 teams
LARGE = {"regions": 4, "groups_per_region": 5, "teams_per_group": 6}  # 120 teams
TEAM = "s{y}-r1-g0-equipo-00"
ENDPOINT_QUERIES = {
    "/api/v1/": 0,
    "/api/v1/seasons/": 1,
    "/api/v1/seasons/{y}/": 4,
    "/api/v1/seasons/{y}/groups/": 5,
    "/api/v1/seasons/{y}/groups/?stage=regional&region=I": 5,
    "/api/v1/seasons/{y}/groups/S{y}-R1-G0/": 3,
    "/api/v1/seasons/{y}/matches/": 4,
    "/api/v1/seasons/{y}/matches/?date={y}-08-02": 4,
    f"/api/v1/seasons/{{y}}/matches/?team={TEAM}": 5,
    "/api/v1/seasons/{y}/teams/": 2,
    f"/api/v1/seasons/{{y}}/teams/{TEAM}/": 5,
    f"/api/v1/seasons/{{y}}/teams/{TEAM}/fixtures.ics": 4,
}


def test_every_endpoint_makes_the_same_queries_for_a_season_ten_times_larger(
    client, django_assert_num_queries, subtests, settings
):
    settings.PAGE_CACHE = False  # count what answering from the database costs
    f.build_scaled(2020, **SMALL)
    f.build_scaled(2021, **LARGE)
    small, large = (Team.objects.filter(slug__startswith=f"s{y}").count() for y in (2020, 2021))
    assert large == 10 * small
    for template, queries in ENDPOINT_QUERIES.items():
        for year in (2020, 2021):
            path = template.format(y=year)
            with subtests.test(msg=path):
                with django_assert_num_queries(queries):
                    response = client.get(path)
                assert response.status_code == 200
                assert len(response.content) < 100_000


def test_a_cached_answer_makes_no_query_until_the_data_changes(
    client, django_assert_num_queries, settings
):
    settings.PAGE_CACHE = True
    season = f.build_scaled(2020, **SMALL)
    path = "/api/v1/seasons/2020/groups/"
    first = client.get(path).content
    with django_assert_num_queries(0):
        assert client.get(path).content == first
    season.name = "Copa Perú 2020 (corregida)"
    season.save()  # any committed change retires every cached answer
    with django_assert_num_queries(ENDPOINT_QUERIES["/api/v1/seasons/{y}/groups/"]):
        assert client.get(path).status_code == 200


def test_the_documented_query_counts_are_the_measured_ones():
    table = DOCS.read_text().split("## Endpoints", 1)[1].split("###", 1)[0]
    documented = dict(re.findall(r"^\| `(/api/v1/[^`]*)` \|.*\| (\d+)[^|]*\|$", table, re.M))
    assert "4 (5 with `team`)" in table  # the one endpoint whose count depends on a filter
    measured = {t: n for t, n in ENDPOINT_QUERIES.items() if "?" not in t}
    for template, queries in measured.items():
        key = template.replace("S{y}-R1-G0", "<key>").replace(TEAM, "<slug>")
        key = key.replace("{y}", "<year>")
        assert int(documented[key]) == queries, key


# --- Behaviour: methods, headers, errors, pages, links, language -----------------------------


@pytest.fixture
def both_seasons(settings):
    """The 2003 shape (real, no results) and the simulated 2099, ids as they come."""
    f.build_2003()
    return build_simulated_2099()


def test_only_reading_is_allowed(client, both_seasons):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/seasons/2003/")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD"
        assert "read-only" in response.json()["error"]
    assert client.head("/api/v1/seasons/2003/").status_code == 200


def test_every_answer_may_be_cached_by_anyone_and_read_from_any_origin(client, both_seasons):
    paths = ["/api/v1/seasons/", "/api/v1/seasons/1999/", "/api/v1/seasons/2003/groups/?page=x"]
    for path in paths:
        response = client.get(path)
        assert response["Cache-Control"] == "public, max-age=30", path
        assert response["Access-Control-Allow-Origin"] == "*", path


def test_an_unchanged_answer_revalidates_with_its_etag_and_travels_gzipped(client, both_seasons):
    path = "/api/v1/seasons/2099/groups/SIM-B/"
    first = client.get(path)
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert len(zipped.content) < len(first.content) / 2


BAD_PARAMETERS = [
    "groups/?page=abc",
    "groups/?page=0",
    "groups/?page=-1",
    "groups/?page=1&page=2",
    "groups/?stage=foo",
    "groups/?region=norte",
    "groups/?etapa=regional",
    "matches/?date=2003-13-40",
    "matches/?date=20030801",
    "matches/?date=ayer",
    "matches/?page=1.5",
    "matches/?team=",
    "matches/?team=no%20such",
    "teams/?page=2",
    "?format=xml",
]


def test_bad_query_parameters_are_a_400_saying_what_is_wrong(client, both_seasons):
    for query in BAD_PARAMETERS:
        response = client.get(f"/api/v1/seasons/2003/{query}")
        assert response.status_code == 400, query
        assert response["Content-Type"] == "application/json"
        assert len(response.json()["error"]) > 20, query


NOT_FOUND_PATHS = [
    "seasons/1999/",
    "seasons/1999/groups/",
    "seasons/1999/groups/R1-A/",
    "seasons/1999/matches/",
    "seasons/1999/teams/",
    "seasons/1999/teams/atletico-grau/",
    "seasons/1999/teams/atletico-grau/fixtures.ics",
    "seasons/2003/groups/R9-Z/",
    "seasons/2003/groups/?region=12",
    "seasons/2003/groups/?page=2",
    "seasons/2003/matches/?team=nadie",
    "seasons/2003/teams/nadie/",
    "seasons/2003/teams/simulado-alfa/",
    "seasons/2003/teams/simulado-alfa/fixtures.ics",
    "seasons/abc/",
    "temporadas/",
]


def test_unknown_things_are_a_404_in_json(client, both_seasons):
    for path in NOT_FOUND_PATHS:
        response = client.get(f"/api/v1/{path}")
        assert response.status_code == 404, path
        assert response.json()["error"], path


def test_a_missing_slash_redirects_like_the_rest_of_the_site(client, both_seasons):
    response = client.get("/api/v1/seasons")
    assert response.status_code == 301 and response["Location"] == "/api/v1/seasons/"


def test_every_answer_about_a_season_says_whether_it_is_simulated(client, both_seasons):
    for year, simulated in ((2003, False), (2099, True)):
        team = "atletico-grau" if year == 2003 else "simulado-alfa"
        for tail in ["", "groups/", "matches/", "teams/", f"teams/{team}/"]:
            answer = client.get(f"/api/v1/seasons/{year}/{tail}").json()
            assert answer["season"] == year and answer["simulated"] is simulated, tail
    listed = {s["year"]: s["simulated"] for s in client.get("/api/v1/seasons/").json()["seasons"]}
    assert listed == {2099: True, 2003: False}


def _urls(value):
    if isinstance(value, dict):
        for key, item in value.items():
            is_link = key in ("url", "html_url", "calendar", "groups", "matches", "teams", "html")
            if is_link and isinstance(item, str) and item.startswith("/"):
                yield item
            yield from _urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls(item)


def test_every_url_in_the_answers_leads_somewhere(client, both_seasons):
    starts = [
        "/api/v1/seasons/",
        "/api/v1/seasons/2099/",
        "/api/v1/seasons/2099/groups/",
        "/api/v1/seasons/2099/matches/",
        "/api/v1/seasons/2099/teams/simulado-zeta/",
        "/api/v1/seasons/2003/groups/?stage=national",
        "/api/v1/seasons/2003/teams/",
    ]
    found = {url for start in starts for url in _urls(client.get(start).json())}
    assert any(url.endswith("fixtures.ics") for url in found)
    pages = {url for url in found if not url.startswith("/api/")}  # the fans' pages
    assert {resolve(url.split("?")[0]).url_name for url in pages} == {"group", "season", "team"}
    broken = {url for url in sorted(found - pages) if client.get(url).status_code != 200}
    assert broken == set()
    assert reverse("api:team-calendar", args=[2003, "utc"]) == (
        "/api/v1/seasons/2003/teams/utc/fixtures.ics"
    )


def test_groups_come_a_page_at_a_time_with_links_to_the_next_and_previous(
    client, both_seasons, monkeypatch
):
    monkeypatch.setattr("tournaments.selectors.api.GROUPS_PER_PAGE", 3)
    first = client.get("/api/v1/seasons/2003/groups/?stage=national").json()
    assert (first["page"], first["pages"], first["count"], first["previous"]) == (1, 3, 7, None)
    second = client.get(first["next"]).json()
    assert second["page"] == 2 and second["filters"] == {"stage": "national", "region": None}
    assert [g["key"] for g in second["groups"]] == ["QF4", "SF1", "SF2"]
    assert client.get(second["previous"]).json()["groups"] == first["groups"]
    last = client.get(second["next"]).json()
    assert last["next"] is None and [g["key"] for g in last["groups"]] == ["FINAL"]


def test_an_empty_list_is_one_empty_page(client, both_seasons):
    answer = client.get("/api/v1/seasons/2003/groups/?stage=district").json()
    assert (answer["count"], answer["pages"], answer["groups"]) == (0, 1, [])
    answer = client.get("/api/v1/seasons/2003/matches/?date=2003-01-01").json()
    assert (answer["count"], answer["matches"]) == (0, [])


def test_labels_are_spanish_whatever_the_visitors_language(client, both_seasons, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.get("/api/v1/seasons/2003/").json()
    assert answer["stages"][3]["name"] == "Etapa Regional"
    assert answer["regions"][0]["name"] == "Región I"


def test_kickoffs_carry_limas_offset_and_the_date_filter_means_a_day_in_lima(client, both_seasons):
    late = Match.objects.get(
        id=client.get("/api/v1/seasons/2099/groups/SIM-C/").json()["group"]["matches"][0]["id"]
    )
    late.kickoff = datetime(2099, 8, 6, 2, 0, tzinfo=UTC)  # 21:00 on the 5th in Lima
    late.save()
    answer = client.get("/api/v1/seasons/2099/matches/?date=2099-08-05").json()
    assert [m["kickoff"] for m in answer["matches"]] == ["2099-08-05T21:00:00-05:00"]
    assert client.get("/api/v1/seasons/2099/matches/?date=2099-08-06").json()["count"] == 0


# --- The iCal feeds -------------------------------------------------------------------------


def unfold(feed: str) -> list[str]:
    """The content lines of a feed (RFC 5545 §3.1): CRLF followed by a space continues a line."""
    assert feed.endswith("\r\n")
    assert "\n" not in feed.replace("\r\n", ""), "a bare LF"
    for physical in feed.split("\r\n"):
        assert len(physical.encode()) <= 75, physical
    return feed[: -len("\r\n")].replace("\r\n ", "").split("\r\n")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], text)


def events(lines: list[str]) -> list[dict]:
    """Each VEVENT as {property name: value} (parameters dropped)."""
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name.split(";")[0]] = value
    return found


def test_a_team_feed_has_one_event_per_match_with_a_kickoff(client, both_seasons):
    response = client.get("/api/v1/seasons/2099/teams/simulado-eta/fixtures.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = unfold(response.content.decode())
    assert lines[:4] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//copaperu//Copa Peru fixtures//ES",
        "CALSCALE:GREGORIAN",
    ]
    assert lines[-1] == "END:VCALENDAR" and lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    mine = Match.objects.filter(group__season__year=2099, home__team__slug="simulado-eta") | (
        Match.objects.filter(group__season__year=2099, away__team__slug="simulado-eta")
    )
    scheduled = {m.id: m for m in mine if m.kickoff}
    found = events(lines)
    assert sorted(int(re.fullmatch(r"match-(\d+)@copaperu", e["UID"])[1]) for e in found) == (
        sorted(scheduled)
    )
    for event in found:
        match = scheduled[int(event["UID"][6:-9])]
        start = datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert start == match.kickoff
    assert f"X-COPAPERU-UNSCHEDULED:{len(mine) - len(scheduled)}" in lines
    assert "X-COPAPERU-SIMULATED:TRUE" in lines


def test_feed_text_is_escaped_and_reads_back_exactly(client, both_seasons):
    iota = Team.objects.get(slug="simulado-iota")
    lines = unfold(
        client.get("/api/v1/seasons/2099/teams/simulado-iota/fixtures.ics").content.decode()
    )
    summaries = [e["SUMMARY"] for e in events(lines)]
    assert any("Iota\\, Asociación Deportiva\\; Sullana" in s for s in summaries)
    assert all(iota.name in unescape(s) for s in summaries)
    assert unescape(ical.escape("a\\b;c,d\ne")) == "a\\b;c,d\ne"
    assert ical.escape("a\\b;c,d\r\ne") == "a\\\\b\\;c\\,d\\ne"


def test_feed_events_say_scores_penalties_awards_grounds_and_postponements(client, both_seasons):
    def feed(slug):
        path = f"/api/v1/seasons/2099/teams/{slug}/fixtures.ics"
        return events(unfold(client.get(path).content.decode()))

    zeta = feed("simulado-zeta")
    assert zeta[-1]["SUMMARY"] == "Simulado Épsilon 1–1 Simulado Zeta (4–5 pen.)"
    assert zeta[-1]["LOCATION"] == "Estadio Nacional (cancha neutral)"
    assert zeta[-1]["DESCRIPTION"].endswith("Tercer partido")
    alfa = feed("simulado-alfa")
    assert alfa[0]["SUMMARY"] == "Simulado Alfa 3–0 Simulado Delta (adj.)"
    assert alfa[0]["LOCATION"] == "Estadio Miguel Grau\\, Piura"
    assert alfa[-1]["SUMMARY"] == "Simulado Alfa – Simulado Beta"
    assert alfa[-1]["DESCRIPTION"].endswith("Desempate (ronda 1)")
    playoff = Match.objects.get(id=int(alfa[-1]["UID"][6:-9]))
    playoff.status = MatchStatus.POSTPONED
    playoff.save()  # a save invalidates the cached feed
    postponed = feed("simulado-alfa")[-1]
    assert postponed["STATUS"] == "TENTATIVE" and postponed["SUMMARY"].endswith("(Postergado)")


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "Ñandú " * 40
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert ical.fold("X" * 75) == "X" * 75


def test_ical_and_api_helpers_are_plain_functions():
    assert api.kickoff(datetime(2003, 8, 3, 20, 30, tzinfo=UTC)) == "2003-08-03T15:30:00-05:00"
    assert api.kickoff(None) is None
    assert ical.utc(datetime(2003, 8, 3, 15, 30, tzinfo=LIMA)) == "20030803T203000Z"


def test_the_docs_matcher_tells_what_differs():
    assert mismatch({"a": 1, "…": "…"}, {"a": 1, "b": 2}) is None
    assert "keys" in mismatch({"a": 1}, {"a": 1, "b": 2})
    assert mismatch([1, "…"], [1, 2, 3]) is None
    assert mismatch(["…", 3], [1, 2, 3]) is None
    assert mismatch([1, 2], [1, 2, 3])
    assert mismatch([True], [1])
    assert text_mismatch("A\n…\nC", "A\r\nB\r\nC\r\n") is None
    assert text_mismatch("A\nC", "A\r\nB\r\nC\r\n")
