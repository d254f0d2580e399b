"""Results day in a real browser (headless Chromium from Debian, driven by Playwright).

With Region I's groups decided (invented results entered through the services: a test, never
the shipped data), an official of Region I enters both legs of the Region I final, level on
points, then the third match with penalties; a second official confirms; the public Region I
page shows the winner and the national bracket shows it in its quarterfinal. A second test
types a four-match results day from the keyboard and counts every click and keystroke.
Screenshots land in screenshots/ (git-ignored).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, SHOTS
from tournaments.management.commands.create_official_group import ensure_officials_group
from tournaments.models import Group, Match, MatchKind, OfficialAssignment, Region, Season
from tournaments.services.results import (
    match_clear_result,
    match_confirm_result,
    match_record_result,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SEASON_FILE = ROOT / "data" / "copa-peru-2003.json"
PASSWORD = "results-day-2003"


@pytest.fixture
def fast_passwords(settings):
    # Logging in through the form needs a password; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def close_connections_after_each_request():
    """The live server answers in threads; keep none of their database connections open.

    With persistent connections a keep-alive request thread could still hold one when the
    test database is dropped.
    """
    shared = connections.settings["default"]
    saved = shared.get("CONN_MAX_AGE", 0)
    shared["CONN_MAX_AGE"] = 0
    yield
    shared["CONN_MAX_AGE"] = saved


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
        # While Playwright's loop runs, Django keeps this thread's connections apart from the
        # usual ones (asgiref sees a running loop); close them before the loop stops.
        connections.close_all()


def official(username, season, region=None):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(ensure_officials_group())
    OfficialAssignment.objects.create(user=user, season=season, region=region)
    return user


class Official:
    """One official's browser window, counting the clicks and keystrokes they make."""

    def __init__(self, browser, base_url, name, *, phone=False):
        size = {"width": 412, "height": 915} if phone else {"width": 1280, "height": 900}
        self.context = browser.new_context(locale="es-PE", viewport=size)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.base_url = base_url
        self.name = name
        self.clicks = 0
        self.keys = 0

    def go(self, path):
        self.page.goto(self.base_url + path)

    def click(self, selector, *, navigates=False):
        self.clicks += 1
        if not navigates:
            self.page.locator(selector).first.click()
            return
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()

    def follow(self, selector):
        """Click a link or a button that loads another page."""
        self.click(selector, navigates=True)

    def type(self, text):
        for key in text:
            self.keys += 1
            self.page.keyboard.press(key)

    def press(self, key):
        self.keys += 1
        self.page.keyboard.press(key)

    def submit(self):
        """Enter: the page's default button (Save) sends the form."""
        self.keys += 1
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def log_in(self):
        self.go("/admin/")
        self.page.locator("#id_username").click()
        self.type(self.name)
        self.press("Tab")
        self.type(PASSWORD)
        self.submit()
        self.page.wait_for_selector("#content-main")
        self.clicks, self.keys = 0, 0  # count results-day work, not logging in

    def shot(self, name, *, full_page=True):
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)

    def messages(self) -> str:
        return " ".join(self.page.locator("ul.messagelist li").all_inner_texts())

    def close(self):
        self.context.close()


def _level_legs_and_confirm(region_one_final, ana, beto):
    """Ana types both legs (each home side wins: 3 points each); Beto confirms them."""
    ana.go(f"/admin/tournaments/match/?group={region_one_final.pk}")
    ana.click("#result_list tbody tr:nth-child(1) td.field-home_goals input.score-input")
    ana.type("2")
    ana.press("Tab")
    ana.type("0")
    ana.press("Tab")
    ana.type("1")
    ana.press("Tab")
    ana.type("0")
    ana.shot("results-day-final-typed")
    ana.submit()
    assert "2" in ana.messages(), ana.messages()
    ana.shot("results-day-final-saved")

    beto.go("/admin/tournaments/match/")
    beto.follow('a[href*="result=provisional"]')
    beto.click("#action-toggle")
    beto.page.select_option("select[name=action]", "confirm_results")
    beto.clicks += 1
    beto.shot("confirm-two-legs")
    beto.follow("button[name=index]")
    assert "2" in beto.messages(), beto.messages()


def _third_match_with_penalties(region_one_final, ana, beto):
    third = Match.objects.get(group=region_one_final, kind=MatchKind.PLAYOFF)
    ana.go(f"/admin/tournaments/match/?group={region_one_final.pk}")
    row = "#result_list tbody tr:nth-child(3)"
    assert ana.page.locator(f"{row} td.field-home_penalties input.score-input").count() == 1
    ana.click(f"{row} td.field-home_goals input.score-input")
    for key in ("1", "Tab", "1", "Tab", "4", "Tab", "5"):
        if key == "Tab":
            ana.press("Tab")
        else:
            ana.type(key)
    ana.shot("results-day-third-match-typed")
    ana.submit()
    ana.shot("results-day-third-match-saved")

    beto.go(f"/admin/tournaments/match/{third.pk}/change/")
    beto.page.select_option("select[name='CHANGE_FORM-action']", "confirm_results")
    beto.follow("#content-main .actions button[name=index]")
    beto.shot("confirm-third-match")
    third.refresh_from_db()
    assert third.confirmed and third.confirmed_by.username == "beto"
    assert (third.home_penalties, third.away_penalties) == (4, 5)
    return third.away.team.name  # won the shoot-out 5–4


def _decide_region_one_groups(season, enter, confirm):
    """Invented results (tests only): Atlético Grau wins Group A, Flamengo wins Group B."""
    group_a = Group.objects.get(season=season, key="R1-A")
    for match in group_a.matches.select_related("home__team"):
        home_wins = match.home.team.name == "Atlético Grau"
        match_record_result(
            match=match,
            home_goals=2 if home_wins else 0,
            away_goals=0 if home_wins else 1,
            user=enter,
        )
        match_confirm_result(match=match.pk, user=confirm)
    group_b = Group.objects.get(season=season, key="R1-B")
    for match in group_b.matches.select_related("home__team", "away__team"):
        names = (match.home.team.name, match.away.team.name)
        score = (1, 0) if names[0] == "Flamengo" else (0, 1) if names[1] == "Flamengo" else (1, 1)
        match_record_result(match=match, home_goals=score[0], away_goals=score[1], user=enter)
        match_confirm_result(match=match.pk, user=confirm)


def test_region_one_final_decided_on_penalties_reaches_the_public_pages(
    live_server, browser, fast_passwords
):
    call_command("load_season", str(SEASON_FILE))
    season = Season.objects.get(year=2003)
    region_one = Region.objects.get(season=season, number=1)
    ana, beto = official("ana", season, region_one), official("beto", season, region_one)
    _decide_region_one_groups(season, ana, beto)
    final = Group.objects.get(season=season, key="R1-F")
    assert set(final.places.values_list("team__name", flat=True)) == {
        "Atlético Grau",
        "Flamengo",
    }

    ana_window = Official(browser, live_server.url, "ana")
    beto_window = Official(browser, live_server.url, "beto")
    ana_window.log_in()
    beto_window.log_in()
    _level_legs_and_confirm(final, ana_window, beto_window)
    assert Match.objects.filter(group=final, kind=MatchKind.PLAYOFF).count() == 1
    winner = _third_match_with_penalties(final, ana_window, beto_window)

    fan = Official(browser, live_server.url, "fan")
    fan.go("/2003/regional/I/")
    final_block = fan.page.locator("section#R1-F")
    assert winner in final_block.locator("li.won").inner_text()
    assert winner in final_block.locator("p.decision").inner_text()
    fan.shot("public-region-one-final")
    fan.go("/2003/nacional/")
    quarterfinal = fan.page.locator("article#QF1 ul.tie li").first
    assert winner in quarterfinal.inner_text()
    fan.shot("public-national-bracket")
    for window in (ana_window, beto_window, fan):
        window.close()


def test_a_four_match_results_day_by_keyboard(live_server, browser, fast_passwords):
    """Region II's four matches of the day: open the list, filter to today, type, Enter."""
    call_command("load_season", str(SEASON_FILE))
    season = Season.objects.get(year=2003)
    region_two = Region.objects.get(season=season, number=2)
    official("rosa", season, region_two)
    today = timezone.localtime().replace(hour=15, minute=30, second=0, microsecond=0)
    day = list(Match.objects.filter(group__key="R2").order_by("matchday", "pk")[:4])
    for match in day:
        match.kickoff = today
        match.venue = "Estadio Mansiche"
    Match.objects.bulk_update(day, ["kickoff", "venue"])

    for phone in (False, True):
        rosa = Official(browser, live_server.url, "rosa", phone=phone)
        rosa.log_in()
        rosa.follow('#content-main a[href="/admin/tournaments/match/"]')
        rosa.follow('a[href*="kickoff__gte"]')  # "Today" in the date filter
        assert rosa.page.locator("#result_list tbody tr").count() == 4
        rosa.click("#result_list tbody tr:nth-child(1) td.field-home_goals input.score-input")
        scores = ["2", "1", "0", "0", "3", "1", "1", "2"] if not phone else ["1"] * 8
        for index, goals in enumerate(scores):
            rosa.type(goals)
            if index < len(scores) - 1:
                rosa.press("Tab")
        rosa.shot("results-day-four-matches-phone" if phone else "results-day-four-matches")
        rosa.submit()
        rosa.shot("results-day-four-matches-saved" + ("-phone" if phone else ""))
        assert (rosa.clicks, rosa.keys) == (3, 16)
        saved = Match.objects.filter(pk__in=[m.pk for m in day]).order_by("matchday", "pk")
        typed = [(int(h), int(a)) for h, a in zip(scores[::2], scores[1::2], strict=True)]
        assert [(m.home_goals, m.away_goals) for m in saved] == typed
        assert all(m.entered_by.username == "rosa" and not m.confirmed for m in saved)
        rosa.close()
        for match in saved:  # the phone pass types the same day again, from empty boxes
            match_clear_result(match=match.pk, user=None)


def test_a_wrong_score_is_shown_on_its_row_and_nothing_is_saved(
    live_server, browser, fast_passwords
):
    """The error as the official sees it; then the group page, the award page, the history."""
    call_command("load_season", str(SEASON_FILE))
    season = Season.objects.get(year=2003)
    region_one = Region.objects.get(season=season, number=1)
    official("ana", season, region_one)
    group_b = Group.objects.get(season=season, key="R1-B")
    first = group_b.matches.order_by("matchday", "pk").first()

    ana = Official(browser, live_server.url, "ana")
    ana.log_in()
    ana.go(f"/admin/tournaments/match/?group={group_b.pk}")
    ana.click("#result_list tbody tr:nth-child(1) td.field-home_goals input.score-input")
    ana.type("-1")
    ana.press("Tab")
    ana.type("0")
    ana.press("Tab")
    ana.type("2")
    ana.press("Tab")
    ana.type("1")
    ana.submit()
    errors = ana.page.locator("tr.row-errors").inner_text()
    assert "-1" not in errors and len(errors) > 10
    assert ana.page.locator("p.errornote").count() == 1
    ana.shot("results-day-error")
    first.refresh_from_db()
    assert first.version == 0 and first.home_goals is None  # nor was the good row saved
    assert group_b.matches.filter(version__gt=0).count() == 0

    ana.go(f"/admin/tournaments/group/{Group.objects.get(season=season, key='R1-A').pk}/change/")
    ana.shot("group-page-with-matches")
    ana.go(f"/admin/tournaments/match/{first.pk}/award/")
    ana.shot("award-a-match")
    ana.page.locator("input[name=winner][value=away]").check()
    ana.page.locator("input[name=reason]").fill("W.O.: Juan Aurich no se presentó")
    with ana.page.expect_navigation():
        ana.page.locator("input[type=submit].default").click()
    first.refresh_from_db()
    assert first.is_awarded and (first.home_goals, first.away_goals) == (0, 3)
    ana.go(f"/admin/tournaments/match/{first.pk}/history/")
    assert "ana" in ana.page.locator("#change-history").inner_text()
    ana.shot("match-history")
    ana.close()
