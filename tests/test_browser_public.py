"""The fans' site in a real browser: headless Chromium (Debian's) driven by Playwright.

On a 360×740 phone and a 1280×800 desktop a fan goes home → season → region → team →
bracket → corrections, without sideways scrolling; switches the language and back; and
watches a result saved through the services appear in the open page without reloading it.
The season is simulated (invented results, labelled as such). Screenshots land in
screenshots/ (git-ignored) for a person to look at.
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests import factories as f
from tests.browser import SIZES, chromium, overflow, shot, window
from tournaments.models import Match
from tournaments.services.results import match_confirm_result, match_record_result
from tournaments.services.simulation import season_play_simulated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def played():
    """A simulated season of the 2003 shape, played to the end, with one corrected result."""
    data = f.build_2003(year=2031)
    data["season"].simulated = True
    data["season"].save()
    season_play_simulated(season=data["season"], seed=7)
    # The simulation writes in bulk, without history: record the confirmed result, then change it.
    match = data["groups"]["R2"].matches.order_by("id").first()
    f.play(match, match.home_goals, match.away_goals)
    f.play(match, match.home_goals + 1, match.away_goals)
    return data


def follow(page, selector):
    with page.expect_navigation():
        page.locator(selector).first.click()


def fits(page, name):
    assert overflow(page) == 0, f"{name} scrolls sideways"
    shot(page, name)


@pytest.mark.parametrize("size", SIZES)
def test_a_fan_goes_from_home_to_the_bracket(live_server, browser, played, size):
    grau = played["teams"]["Atlético Grau"]
    with window(browser, SIZES[size]) as page:
        page.goto(live_server.url + "/")
        assert page.locator("h1").inner_text() == "Copa Perú"
        assert "Datos simulados" in page.locator("p.simulated").inner_text()
        fits(page, f"public-home-{size}")
        follow(page, 'main h2 a[href="/2031/"]')
        assert page.locator("ol.stages li").count() == 5
        fits(page, f"public-season-{size}")
        follow(page, 'ul.regions a[href="/2031/regional/I/"]')
        assert page.locator("h1").inner_text() == "Región I"
        assert page.locator("section#R1-B table caption").inner_text() == "Tabla de posiciones"
        assert page.locator("section#R1-A ol.matches li.playoff").count() == 1
        fits(page, f"public-region-I-{size}")
        follow(page, f'section#R1-A a[href="/2031/equipos/{grau.slug}/"]')
        assert page.locator("h1").inner_text() == "Atlético Grau"
        assert page.locator("section.road").count() >= 1
        fits(page, f"public-team-{size}")
        follow(page, 'nav.season a[href="/2031/nacional/"]')
        assert page.locator("section.round").count() == 3
        assert "asciende a Primera División" in page.locator("p.promoted").inner_text()
        assert page.locator("article.final-node li.won").count() == 1
        fits(page, f"public-national-{size}")
        follow(page, 'footer a[href="/2031/correcciones/"]')
        assert page.locator("table.corrections tbody tr").count() == 1
        fits(page, f"public-corrections-{size}")
        follow(page, 'nav.season a[href="/2031/partidos/"]')
        follow(page, 'table.fixtures thead a:text("Grupo")')
        assert page.locator("table.fixtures th[aria-sort=ascending]").inner_text() == "Grupo ▲"
        # Laid out on three lines per match on a phone, it is still a table to screen readers.
        fixtures = page.get_by_role("table", name="Partidos aún sin fecha")
        assert fixtures.get_by_role("columnheader", name="Resultado").count() == 1
        assert fixtures.get_by_role("row").count() == 1 + 57
        fits(page, f"public-fixtures-{size}")


def test_the_keyboard_reaches_the_content_first(live_server, browser, played):
    with window(browser) as page:
        page.goto(live_server.url + "/2031/regional/I/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        shot(page, "public-skip-link", full_page=False)
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('main') !== null")
        assert focused  # the next Tab lands in the page's content, past the menus


def test_the_language_switch_and_back(live_server, browser, played):
    with window(browser, SIZES["360"]) as page:
        page.goto(live_server.url + "/2031/regional/I/")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.context.cookies() == []  # public pages set no cookie
        follow(page, 'nav.lang a[hreflang="en"]')
        assert page.url == live_server.url + "/2031/regional/I/"
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "Region I"
        assert page.locator("section#R1-B table caption").inner_text() == "Standings"
        fits(page, "public-region-I-english-360")
        follow(page, 'nav.lang a[hreflang="es"]')
        assert page.locator("h1").inner_text() == "Región I"


def test_a_result_saved_through_the_services_appears_without_reloading(
    live_server, browser, settings
):
    from playwright.sync_api import expect

    settings.LIVE_REFRESH_SECONDS = 1
    data = f.build_2003()
    match = data["groups"]["R2"].matches.select_related("home__team").order_by("id").first()
    match.kickoff = timezone.now()
    match.save()
    official = get_user_model().objects.create_user("confirma")
    with window(browser, SIZES["360"]) as page:
        asked = []
        page.on("request", lambda r: asked.append(r.url) if r.headers.get("hx-request") else 0)
        page.goto(live_server.url + "/2003/regional/II/")
        assert page.locator("#live[data-live]").count() == 1
        page.evaluate("window.stillTheSamePage = true")
        match_record_result(match=match, home_goals=3, away_goals=1)
        score = page.locator("section#R2 ol.matches .score", has_text="3–1")
        score.wait_for()
        assert "provisional" in score.inner_text()
        shot(page, "public-live-provisional-360")
        match_confirm_result(match=match, user=official)
        leader = page.locator("section#R2 table tbody tr").first
        expect(leader.locator("td").nth(8)).to_have_text("3")  # Pts, once confirmed
        assert match.home.team.name in leader.locator("th").inner_text()
        page.locator("#live:not([data-live])").wait_for()  # every live result counts
        assert page.evaluate("window.stillTheSamePage") is True  # never reloaded
        shot(page, "public-live-confirmed-360")
        polls = len(asked)
        page.wait_for_timeout(2500)
        assert len(asked) == polls  # it stopped asking
        assert polls >= 2 and all(url.endswith("/2003/regional/II/") for url in asked)
    assert Match.objects.get(pk=match.pk).confirmed
