"""The fans' pages, each a fixed number of queries whatever the size of the season."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from tournaments import selectors

from . import bracket
from .common import (
    block,
    blocks,
    corrections_table,
    fixtures_table,
    live,
    not_found_as_404,
    page_number,
    qualifiers_table,
    render_live,
    stage_links,
)


def home(request):
    """The current season (the latest real one), its latest results and next fixtures: 8 queries
    (one fewer for each of the two lists that is empty)."""
    seasons = selectors.season_list()
    current = selectors.current_season(seasons)
    context = {"seasons": seasons, "season": current}
    if current:
        overview = selectors.season_overview(current)
        context.update(
            overview=overview,
            stage_links=stage_links(current.year, overview.stages),
            latest=selectors.latest_results(current),
            upcoming=selectors.next_fixtures(current),
        )
    return render(request, "tournaments/home.html", context)


@not_found_as_404
def season(request, year):
    overview = selectors.season_overview(year)
    context = {
        "season": overview.season,
        "overview": overview,
        "stage_links": stage_links(year, overview.stages),
    }
    return render(request, "tournaments/season.html", context)


@not_found_as_404
def stage(request, year, kind):
    detail = selectors.stage_detail(year, kind, page_number(request))
    context = {
        "season": detail.stage.season,
        "detail": detail,
        "blocks": blocks(detail.groups, year),
    }
    return render(request, "tournaments/stage.html", context)


@not_found_as_404
def departmental(request, year):
    season, table = qualifiers_table(year)
    return render(request, "tournaments/departmental.html", {"season": season, "table": table})


@not_found_as_404
def regional(request, year):
    overview = selectors.season_overview(year)
    return render(
        request, "tournaments/regional.html", {"season": overview.season, "overview": overview}
    )


def _matches(groups):
    return [match for group in groups for match in group.matches]


@not_found_as_404
def region(request, year, region):
    detail = selectors.region_detail(year, region)
    context = {
        "season": detail.season,
        "region": detail.region,
        "blocks": blocks(detail.groups, year),
        **live(_matches(detail.groups)),
    }
    return render_live(request, "tournaments/region.html", context)


def _promoted(rounds) -> list[selectors.Slot]:
    """Who goes up to the First Division: the final's winner, or the final group's qualifiers,
    once decided."""
    if not rounds or len(rounds[-1].cells) != 1:
        return []
    final = rounds[-1].cells[0].item.group
    return final.qualified if final.complete else []


@not_found_as_404
def national(request, year):
    """The bracket, round by round, with the promoted team once the final is decided: 4 queries."""
    detail = selectors.national_stage(year)
    by_round = {}
    for item in blocks(detail.groups, year):
        by_round.setdefault(item.group.ref.round, []).append(item)
    rounds = bracket.layout(by_round)
    promoted = _promoted(rounds)
    context = {
        "season": detail.stage.season,
        "detail": detail,
        "rounds": rounds,
        "promoted": promoted,
        "final_key": rounds[-1].cells[0].item.group.ref.key if promoted else None,
        **live(_matches(detail.groups)),
    }
    return render_live(request, "tournaments/national.html", context)


@not_found_as_404
def group(request, year, key):
    season, view = selectors.group_detail(year, key)
    context = {"season": season, "item": block(view, year), **live(view.matches)}
    return render_live(request, "tournaments/group.html", context)


@not_found_as_404
def teams(request, year):
    season = selectors.get_season(year)
    context = {"season": season, "teams": selectors.season_teams(season)}
    return render(request, "tournaments/teams.html", context)


@not_found_as_404
def team(request, year, slug):
    road = selectors.team_road(slug, year)
    entries = [
        (entry, block(entry.group, year, entry.row.slot.key if entry.row else None))
        for entry in road.entries
    ]
    context = {
        "season": road.season,
        "road": road,
        "entries": entries,
        **live(match for entry in road.entries for match in entry.matches),
    }
    return render_live(request, "tournaments/team.html", context)


@not_found_as_404
def fixtures(request, year):
    season, result, table = fixtures_table(request, year)
    context = {"season": season, "result": result, "table": table}
    return render(request, "tournaments/fixtures.html", context)


@not_found_as_404
def corrections(request, year):
    """Every change to a result after it was confirmed, latest first: 3 queries."""
    season, result, table = corrections_table(request, year)
    context = {"season": season, "result": result, "table": table}
    return render(request, "tournaments/corrections.html", context)


def language(request, code):
    """Switch the site's language (a link, so pages need no form or CSRF cookie) and go back
    to the page the visitor came from (`next`, else the referring page of this site).

    The choice is kept in a cookie for a year; an unknown language is a 404.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404("Unknown language")
    target = request.GET.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def health(request):
    """A trivial answer for load balancers and benchmarks: the app server is up."""
    return HttpResponse("ok", content_type="text/plain")
