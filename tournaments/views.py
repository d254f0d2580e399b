"""Public pages of the fans' site: call a selector, build the tables, render.

No rules here: tables, decisions and marks arrive computed from the selectors. Anything
unknown (year, region, group, team, date) is a 404.
"""

from dataclasses import dataclass
from datetime import date
from functools import wraps

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from tournaments import selectors
from tournaments.models import StageKind
from tournaments.tables import FixturesTable, GroupTable, QualifiersTable

# The page of each stage.
STAGE_URLS = {
    StageKind.DISTRICT: "tournaments:stage-district",
    StageKind.PROVINCIAL: "tournaments:stage-provincial",
    StageKind.DEPARTMENTAL: "tournaments:departmental",
    StageKind.REGIONAL: "tournaments:regional",
    StageKind.NATIONAL: "tournaments:national",
}


def not_found_as_404(view):
    """Turn a selector's DoesNotExist (unknown year, region, team...) into a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist as error:
            raise Http404(str(error)) from error

    return wrapper


def _stage_links(year, stages):
    return [(stage, reverse(STAGE_URLS[stage.kind], args=[year])) for stage in stages]


@dataclass(frozen=True)
class Block:
    """A group with its table (None for a tie, shown as its legs) and its playoff tables."""

    group: selectors.GroupView
    table: GroupTable | None
    playoffs: list[GroupTable]


def _block(group, year, highlight=None):
    table = None
    if group.rows and not group.is_tie:
        caption = gettext("Standings")
        table = GroupTable(group.rows, caption=caption, year=year, highlight=highlight)
    playoffs = [
        GroupTable(rows, caption=gettext("Playoff (round %(round)s)") % {"round": n}, year=year)
        for n, rows in group.playoff_tables
    ]
    return Block(group, table, playoffs)


def _blocks(groups, year):
    return [_block(group, year) for group in groups]


ROUND_TITLES = {2: _("Semifinals"), 4: _("Quarterfinals"), 8: _("Round of 16")}


def _round_title(number, blocks, last):
    """A round's heading from its shape: the last single group is the final, etc."""
    if last and len(blocks) == 1:
        return _("Final") if blocks[0].group.is_tie else _("Final group")
    return ROUND_TITLES.get(len(blocks)) or _("Round %(number)s") % {"number": number}


def _page_number(request):
    try:
        return max(1, int(request.GET.get("pagina", "1")))
    except ValueError as error:
        raise Http404("Bad page number.") from error


def home(request):
    seasons = selectors.season_list()
    context = {"seasons": seasons}
    if seasons:
        overview = selectors.season_overview(seasons[0])
        context.update(
            overview=overview,
            stage_links=_stage_links(overview.season.year, overview.stages),
            latest=selectors.latest_results(overview.season),
        )
    return render(request, "tournaments/home.html", context)


@not_found_as_404
def season(request, year):
    overview = selectors.season_overview(year)
    context = {
        "season": overview.season,
        "overview": overview,
        "stage_links": _stage_links(year, overview.stages),
    }
    return render(request, "tournaments/season.html", context)


@not_found_as_404
def stage(request, year, kind):
    detail = selectors.stage_detail(year, kind, _page_number(request))
    context = {
        "season": detail.stage.season,
        "detail": detail,
        "blocks": _blocks(detail.groups, year),
    }
    return render(request, "tournaments/stage.html", context)


@not_found_as_404
def departmental(request, year):
    season = selectors.get_season(year)
    rows = selectors.departmental_qualifiers(season)
    caption = ngettext(
        "The team that qualified for the Regional Stage",
        "The %(count)s teams that qualified for the Regional Stage",
        len(rows),
    ) % {"count": len(rows)}
    table = QualifiersTable(rows, caption=caption, year=year)
    return render(request, "tournaments/departmental.html", {"season": season, "table": table})


@not_found_as_404
def regional(request, year):
    overview = selectors.season_overview(year)
    return render(
        request, "tournaments/regional.html", {"season": overview.season, "overview": overview}
    )


@not_found_as_404
def region(request, year, region):
    detail = selectors.region_detail(year, region)
    context = {
        "season": detail.season,
        "region": detail.region,
        "blocks": _blocks(detail.groups, year),
    }
    return render(request, "tournaments/region.html", context)


@not_found_as_404
def national(request, year):
    detail = selectors.national_stage(year)
    by_round = {}
    for block in _blocks(detail.groups, year):
        by_round.setdefault(block.group.ref.round, []).append(block)
    numbers = sorted(by_round)
    rounds = [(_round_title(n, by_round[n], last=n == numbers[-1]), by_round[n]) for n in numbers]
    context = {"season": detail.stage.season, "detail": detail, "rounds": rounds}
    return render(request, "tournaments/national.html", context)


@not_found_as_404
def group(request, year, key):
    season, view = selectors.group_detail(year, key)
    context = {"season": season, "item": _block(view, year)}
    return render(request, "tournaments/group.html", context)


@not_found_as_404
def teams(request, year):
    season = selectors.get_season(year)
    context = {"season": season, "teams": selectors.season_teams(season)}
    return render(request, "tournaments/teams.html", context)


@not_found_as_404
def team(request, year, slug):
    road = selectors.team_road(slug, year)
    entries = [
        (entry, _block(entry.group, year, entry.row.slot.key if entry.row else None))
        for entry in road.entries
    ]
    context = {"season": road.season, "road": road, "entries": entries}
    return render(request, "tournaments/team.html", context)


@not_found_as_404
def fixtures(request, year):
    season = selectors.get_season(year)
    day = _day(request.GET.get("fecha"))
    result = selectors.fixtures(season, day, _page_number(request))
    if day not in (None, selectors.UNSCHEDULED) and day not in result.days:
        raise Http404("No matches that day.")
    table = FixturesTable(result.matches, year=year)
    context = {"season": season, "result": result, "table": table}
    return render(request, "tournaments/fixtures.html", context)


def _day(text):
    if not text:
        return None
    if text == "sin-fecha":
        return selectors.UNSCHEDULED
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise Http404("Bad date.") from error


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
