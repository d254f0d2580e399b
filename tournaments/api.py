"""The open-data API: read-only JSON about seasons, stages, groups and ties, matches and teams.

Plain Django views over the selectors; no rule is decided here, tables, decisions and marks
arrive computed. Every season's answer says whether the season is simulated. URLs in answers
are relative to the site's root. Unknown things are a 404 and bad parameters a 400, both as
{"error": "..."}. Labels are in Spanish whatever the visitor's language, so one answer serves
every client and cache. docs/api.md documents each endpoint with examples the tests replay.
"""

import re
from datetime import date
from functools import wraps
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import EmptyPage
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import conditional_page

from tournaments import selectors
from tournaments.caching import cached_page
from tournaments.models import Group, Region, Season, StageKind, Team

LIMA = ZoneInfo("America/Lima")
HEADERS = {
    "Cache-Control": "public, max-age=30",
    "Access-Control-Allow-Origin": "*",
    "Content-Language": settings.LANGUAGE_CODE,
}
READ_METHODS = ("GET", "HEAD")
JSON_OPTIONS = {"ensure_ascii": False, "separators": (",", ":")}
NOT_FOUND = {
    Season.DoesNotExist: "No season {year}.",
    Region.DoesNotExist: "No region {region} in {year}.",
    Group.DoesNotExist: "No group {key} in {year}.",
    Team.DoesNotExist: "No team {team} in {year}.",
}


class BadRequest(Exception):
    """A query parameter the endpoint cannot use; the message tells the client why."""


class NotFound(Exception):
    """Nothing at that URL; the message tells the client what is missing."""


def error(status: int, message: str) -> JsonResponse:
    """An API error: {"error": message} with the HTTP status."""
    return JsonResponse({"error": message}, status=status, json_dumps_params=JSON_OPTIONS)


def api_view(params: tuple[str, ...] | None = (), *, cached: bool = True):
    """Make a view an API endpoint: GET (and HEAD) only, errors as JSON, open to every origin.

    The view returns a dict (sent as JSON) or a response. Query parameters other than `params`
    are refused with a 400 (None accepts any). Not-found selectors become a 404, pages past the
    last too. Answers are served from the pages' cache until the data changes (unless not
    `cached`: answers that depend on more than the path, such as the host); every answer,
    errors included, may be cached 30 s by anyone; answers carry an ETag (If-None-Match gets a
    304) and are gzipped when the client accepts it.
    """

    def decorate(view):
        def answer(request, *args, **kwargs):
            return _answer(view, params, request, args, kwargs)

        if cached:
            answer = cached_page(answer)

        @wraps(view)
        def endpoint(request, *args, **kwargs):
            response = answer(request, *args, **kwargs)
            for name, value in HEADERS.items():
                response[name] = value
            return response

        # Read-only: a POST gets the 405 below, not a CSRF 403. Public data, so compressing
        # leaks nothing; an ETag lets clients on a weak connection revalidate for free.
        return csrf_exempt(gzip_page(conditional_page(endpoint)))

    return decorate


def _answer(view, params, request, args, kwargs) -> HttpResponse:
    if request.method not in READ_METHODS:
        response = error(405, f"{request.method} is not allowed: this API is read-only.")
        response["Allow"] = ", ".join(READ_METHODS)
        return response
    try:
        if params is not None:
            _check_params(request, params)
        with translation.override(settings.LANGUAGE_CODE):
            answer = view(request, *args, **kwargs)
    except BadRequest as problem:
        return error(400, str(problem))
    except (EmptyPage, NotFound) as problem:
        return error(404, str(problem))
    except ObjectDoesNotExist as problem:
        return error(404, _not_found(problem, request, kwargs))
    if isinstance(answer, HttpResponse):
        return answer
    return JsonResponse(answer, json_dumps_params=JSON_OPTIONS)


def _not_found(problem, request, kwargs) -> str:
    values = {"region": "", "key": "", "year": "", **request.GET.dict(), **kwargs}
    values.setdefault("team", kwargs.get("slug", ""))
    template = next((t for kind, t in NOT_FOUND.items() if isinstance(problem, kind)), None)
    return template.format(**values) if template else "Not found."


def _check_params(request, allowed) -> None:
    for name in request.GET:
        if name not in allowed:
            takes = ", ".join(allowed) if allowed else "no parameters"
            raise BadRequest(f"Unknown parameter {name!r}: this endpoint takes {takes}.")
        if len(request.GET.getlist(name)) > 1:
            raise BadRequest(f"Parameter {name!r} is given more than once.")


@api_view(None)
def unknown_endpoint(request, path=""):
    """Any other URL under the API: a JSON 404 pointing at the list of seasons."""
    raise NotFound(f"No endpoint at {request.path}: start from {reverse('api:seasons')}.")


# --- Parameters ------------------------------------------------------------------------------


def page_param(request) -> int:
    """The `page` parameter: a whole number from 1 (1 when absent)."""
    text = request.GET.get("page", "1")
    if not re.fullmatch(r"[1-9][0-9]{0,5}", text):
        raise BadRequest(f"page must be a whole number from 1, not {text!r}.")
    return int(text)


def stage_param(request) -> str | None:
    """The `stage` parameter: a stage kind (district ... national), or None."""
    text = request.GET.get("stage")
    if text is not None and text not in StageKind.values:
        kinds = ", ".join(StageKind.values)
        raise BadRequest(f"stage must be one of {kinds}, not {text!r}.")
    return text


def region_param(request) -> int | None:
    """The `region` parameter: a number (1) or a Roman numeral (I), or None."""
    text = request.GET.get("region")
    number = None if text is None else selectors.region_number(text)
    if text is not None and number is None:
        raise BadRequest(f"region must be a number (1) or a Roman numeral (I), not {text!r}.")
    return number


def team_param(request) -> str | None:
    """The `team` parameter: a team's slug, or None."""
    text = request.GET.get("team")
    if text is not None and not re.fullmatch(r"[-\w]+", text):
        raise BadRequest(f"team must be a team's slug (as in its URL), not {text!r}.")
    return text


def date_param(request) -> date | None:
    """The `date` parameter: a day as YYYY-MM-DD (a day in Lima), or None."""
    text = request.GET.get("date")
    if text is None:
        return None
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise BadRequest(f"date must be a real day written YYYY-MM-DD, not {text!r}.")


# --- From selectors' data to JSON ------------------------------------------------------------


class Links:
    """Root-relative URLs of one season's resources, from a single reverse() per answer."""

    def __init__(self, year: int):
        self.year = year
        self.season = reverse("api:season", args=[year])

    def group(self, key: str) -> str:
        return f"{self.season}groups/{key}/"

    def team(self, slug: str) -> str:
        return f"{self.season}teams/{slug}/"

    def calendar(self, slug: str) -> str:
        return f"{self.season}teams/{slug}/fixtures.ics"


def kickoff(moment) -> str | None:
    """A kickoff in ISO 8601 with Lima's offset ("2003-08-03T15:30:00-05:00"), or None."""
    return moment.astimezone(LIMA).isoformat() if moment else None


def team_ref(slot: selectors.Slot, links: Links) -> dict:
    """A place: its team (name, slug, URL), or only a label until the team is known."""
    slug = slot.team_slug
    return {"name": slot.name, "slug": slug, "url": links.team(slug) if slug else None}


def group_ref(ref: selectors.GroupRef, links: Links) -> dict:
    """Where a group sits: key, name, URL, stage kind, region number, round."""
    return {
        "key": ref.key,
        "name": ref.name,
        "url": links.group(ref.key),
        "stage": ref.stage.kind,
        "region": ref.region.number if ref.region else None,
        "round": ref.round,
    }


# Attributes of the selectors' MatchLine and TableRow sent as they are, in this order.
MATCH_PLAIN = ("matchday", "playoff", "playoff_round")
MATCH_RESULT = (
    *("venue", "neutral", "status", "home_goals", "away_goals", "home_penalties"),
    *("away_penalties", "awarded", "awarded_reason", "provisional"),
)
ROW_PLAIN = (
    *("played", "won", "drawn", "lost", "goals_for", "goals_against", "goal_difference"),
    *("points", "awarded"),
)


def match_data(line: selectors.MatchLine, links: Links) -> dict:
    """A match: status, scores, penalties, award, provisional flag, kickoff, ground."""
    data = {"id": line.id}
    if line.group is not None:  # matches listed inside their group leave it out
        data["group"] = group_ref(line.group, links)
    data.update(home=team_ref(line.home, links), away=team_ref(line.away, links))
    data.update({name: getattr(line, name) for name in MATCH_PLAIN})
    data["kickoff"] = kickoff(line.kickoff)
    data.update({name: getattr(line, name) for name in MATCH_RESULT})
    return data


def row_data(row: selectors.TableRow, links: Links) -> dict:
    """A table row (Pos, Team, Pld, W, D, L, GF, GA, GD, Pts) with its mark."""
    data = {"position": row.position, "team": team_ref(row.slot, links)}
    data.update({name: getattr(row, name) for name in ROW_PLAIN})
    data["mark"] = row.mark or None
    return data


def tie_data(view: selectors.GroupView, links: Links) -> dict:
    """A two-legged tie: each side's points (and penalties), its legs and third match, winner."""
    tie = view.tie
    third = next((m for m in view.matches if m.playoff), None)
    penalties = {}
    if third is not None and third.home_penalties is not None:
        penalties = {third.home.key: third.home_penalties, third.away.key: third.away_penalties}
    sides = [(tie.first, tie.first_points), (tie.second, tie.second_points)]
    return {
        "sides": [
            {"team": team_ref(slot, links), "points": points, "penalties": penalties.get(slot.key)}
            for slot, points in sides
        ],
        "legs": [match_data(m, links) for m in view.matches if not m.playoff],
        "third_match": third and match_data(third, links),
        "needs_third_match": tie.needs_third_match,
        "needs_penalties": tie.needs_penalties,
        "winner": team_ref(tie.winner, links) if tie.winner else None,
        "decided_by": tie.decided_by,
    }


def decision_data(view: selectors.GroupView, links: Links) -> dict:
    """What the rules decided: complete or not, who qualified, any playoff and its tables."""
    playoff = view.playoff
    return {
        "complete": view.complete,
        "qualified": [team_ref(slot, links) for slot in view.qualified],
        "playoff": playoff
        and {
            "teams": [team_ref(slot, links) for slot in playoff.teams],
            "places": playoff.places,
            "round": playoff.round,
            "single_match": playoff.single_match,
            "needs_penalties": playoff.needs_penalties,
        },
        "playoff_tables": [
            {"round": number, "table": [row_data(row, links) for row in rows]}
            for number, rows in view.playoff_tables
        ],
        "error": view.error,
    }


def group_data(view: selectors.GroupView, links: Links, matches: bool = True) -> dict:
    """A group or tie with its places, table, decision, tie and (unless told not to) matches."""
    data = {
        **group_ref(view.ref, links),
        "html_url": reverse("tournaments:group", args=[links.year, view.ref.key]),
        "format": view.format,
        "qualify": view.qualify,
        "structure": "assumed" if view.assumed else "published",
        "structure_note": view.structure_note,
        "places": [team_ref(slot, links) for slot in view.slots],
        "table": [row_data(row, links) for row in view.rows],
        "decision": decision_data(view, links),
        "tie": tie_data(view, links) if view.is_tie else None,
    }
    if matches:
        data["matches"] = [match_data(line, links) for line in view.matches]
    return data


def season_head(season) -> dict:
    """The keys every season's answer starts with: its year and whether it is simulated."""
    return {"season": season.year, "simulated": season.simulated}


def paging(request, page: int, pages: int, count: int) -> dict:
    """Page number, page count, item count and the URLs of the next and previous pages."""

    def url(number):
        if not 1 <= number <= pages:
            return None
        query = request.GET.copy()
        query["page"] = str(number)
        return f"{request.path}?{query.urlencode()}"

    return {
        "page": page,
        "pages": pages,
        "count": count,
        "next": url(page + 1),
        "previous": url(page - 1),
    }


# --- Endpoints ---------------------------------------------------------------------------------


@api_view()
def index(request):
    """Where to start: the list of seasons (each links on to everything else)."""
    return {"seasons": reverse("api:seasons"), "documentation": "docs/api.md"}


@api_view()
def seasons(request):
    """Every season, latest first, each saying whether it is simulated: 1 query."""
    return {
        "seasons": [
            {
                "year": season.year,
                "name": season.name,
                "simulated": season.simulated,
                "url": reverse("api:season", args=[season.year]),
            }
            for season in selectors.season_list()
        ]
    }


@api_view()
def season(request, year):
    """A season: points rule, stages in playing order, regions and their departments: 4 queries."""
    overview = selectors.season_overview(year)
    found, links = overview.season, Links(year)
    groups = reverse("api:groups", args=[year])
    return {
        **season_head(found),
        "name": found.name,
        "source": found.source,
        "notes": found.notes,
        "points": {"win": found.points_win, "draw": found.points_draw, "loss": found.points_loss},
        "stages": [
            {
                "kind": stage.kind,
                "name": str(stage.label),
                "starts_on": stage.starts_on and stage.starts_on.isoformat(),
                "ends_on": stage.ends_on and stage.ends_on.isoformat(),
                "notes": stage.notes,
                "groups": f"{groups}?stage={stage.kind}",
            }
            for stage in overview.stages
        ],
        "regions": [
            {
                "number": region.number,
                "numeral": region.numeral,
                "name": region.name,
                "departments": list(region.departments),
                "groups": f"{groups}?region={region.number}",
            }
            for region in overview.regions
        ],
        "links": {
            "groups": groups,
            "matches": reverse("api:matches", args=[year]),
            "teams": reverse("api:teams", args=[year]),
            "html": reverse("tournaments:season", args=[year]),
        },
        "url": links.season,
    }


@api_view(("stage", "region", "page"))
def groups(request, year):
    """A page of 20 groups with places, tables, marks, decisions and ties: 5 queries."""
    kind, region = stage_param(request), region_param(request)
    found = selectors.group_page(year, kind=kind, region=region, page=page_param(request))
    links = Links(year)
    return {
        **season_head(found.season),
        "filters": {"stage": kind, "region": region},
        **paging(request, found.page, found.pages, found.count),
        # Without their matches, so a page of big groups stays light (each group's URL has them).
        "groups": [group_data(view, links, matches=False) for view in found.groups],
    }


@api_view()
def group(request, year, key):
    """One group or tie by its key: 3 queries."""
    found, view = selectors.group_detail(year, key)
    return {**season_head(found), "group": group_data(view, Links(year))}


@api_view(("date", "team", "page"))
def matches(request, year):
    """A page of 100 matches by kickoff, of a day and/or a team: 4 queries (5 with a team)."""
    day, team = date_param(request), team_param(request)
    found = selectors.match_page(year, day=day, team=team, page=page_param(request))
    links = Links(year)
    return {
        **season_head(found.season),
        "filters": {"date": day and day.isoformat(), "team": team},
        **paging(request, found.page, found.pages, found.count),
        "matches": [match_data(line, links) for line in found.matches],
    }


def team_data(team: selectors.TeamInfo, links: Links) -> dict:
    """A team: name, slug, department, town, and the URLs of its road and its calendar."""
    return {
        "name": team.name,
        "slug": team.slug,
        "department": team.department,
        "town": team.town,
        "url": links.team(team.slug),
        "calendar": links.calendar(team.slug),
    }


@api_view()
def teams(request, year):
    """Every team with a place in the season, by name: 2 queries."""
    found = selectors.get_season(year)
    links = Links(year)
    return {
        **season_head(found),
        "teams": [team_data(team, links) for team in selectors.season_teams(found)],
    }


@api_view()
def team(request, year, slug):
    """A team's road: each group or tie it plays that season, its row, its matches: 5 queries."""
    road = selectors.team_road(slug, year)
    links = Links(year)
    return {
        **season_head(road.season),
        "team": {
            **team_data(road.team, links),
            "html_url": reverse("tournaments:team", args=[year, slug]),
        },
        "road": [
            {
                "group": {**group_ref(entry.group.ref, links), "format": entry.group.format},
                "row": entry.row and row_data(entry.row, links),
                "tie": tie_data(entry.group, links) if entry.group.is_tie else None,
                "decision": decision_data(entry.group, links),
                "matches": [match_data(line, links) for line in entry.matches],
            }
            for entry in road.entries
        ],
    }
