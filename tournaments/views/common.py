"""What the pages and their CSV exports share: 404s, paging, the tables built from selectors,
and the live refresh of a page's standings or bracket."""

from dataclasses import dataclass
from datetime import date
from functools import wraps

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django_tables2 import RequestConfig

from tournaments import selectors
from tournaments.models import StageKind
from tournaments.tables import (
    CorrectionsTable,
    FixturesTable,
    GroupTable,
    QualifiersTable,
    Standings,
    group_csv_url,
)

# The page of each stage.
STAGE_URLS = {
    StageKind.DISTRICT: "tournaments:stage-district",
    StageKind.PROVINCIAL: "tournaments:stage-provincial",
    StageKind.DEPARTMENTAL: "tournaments:departmental",
    StageKind.REGIONAL: "tournaments:regional",
    StageKind.NATIONAL: "tournaments:national",
}
# Seconds between two refreshes of a live page (a setting, so tests can make it short).
LIVE_REFRESH_SECONDS = 30


def not_found_as_404(view):
    """Turn a selector's DoesNotExist (unknown year, region, team...) into a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist as error:
            raise Http404(str(error)) from error

    return wrapper


def stage_links(year, stages):
    return [(stage, reverse(STAGE_URLS[stage.kind], args=[year])) for stage in stages]


def page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("pagina", "1")))
    except ValueError as error:
        raise Http404("Bad page number.") from error


def parse_day(text):
    """A fixtures day from the URL: an ISO date, "sin-fecha" (no date yet), or none."""
    if not text:
        return None
    if text == "sin-fecha":
        return selectors.UNSCHEDULED
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise Http404("Bad date.") from error


def query(request, *names) -> str:
    """The given parameters of the request's query string, for a link to the same rows."""
    kept = {name: request.GET[name] for name in names if request.GET.get(name)}
    return f"?{urlencode(kept)}" if kept else ""


# --- Tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A group with its table (None for a tie, shown as its legs) and its playoff tables."""

    group: selectors.GroupView
    table: Standings | GroupTable | None
    playoffs: list[Standings | GroupTable]


def block(group, year, highlight=None, *, table_class=Standings) -> Block:
    """A group's standings and playoff tables, each with its CSV export link.

    Pages show them as `Standings`; the CSV export asks for GroupTables (`table_class`), the
    django-tables2 tables that give the same rows as text.
    """
    export = group_csv_url(year, group.ref.key)
    table = None
    if group.rows and not group.is_tie:
        caption = gettext("Standings")
        table = table_class(
            group.rows, caption=caption, year=year, highlight=highlight, export_url=export
        )
    playoffs = [
        table_class(
            rows,
            caption=gettext("Playoff (round %(round)s)") % {"round": n},
            year=year,
            export_url=f"{export}?desempate={n}",
        )
        for n, rows in group.playoff_tables
    ]
    return Block(group, table, playoffs)


def blocks(groups, year) -> list[Block]:
    return [block(group, year) for group in groups]


def qualifiers_table(year):
    """The departmental qualifiers' table of a season: 2 queries."""
    season = selectors.get_season(year)
    rows = selectors.departmental_qualifiers(season)
    caption = ngettext(
        "The team that qualified for the Regional Stage",
        "The %(count)s teams that qualified for the Regional Stage",
        len(rows),
    ) % {"count": len(rows)}
    export = reverse("tournaments:departmental-csv", args=[year])
    return season, QualifiersTable(rows, caption=caption, year=year, export_url=export)


def fixtures_table(request, year):
    """One day's matches (or those without a date), sorted as asked: 5 queries."""
    season = selectors.get_season(year)
    day = parse_day(request.GET.get("fecha"))
    result = selectors.fixtures(season, day, page_number(request))
    if day not in (None, selectors.UNSCHEDULED) and day not in result.days:
        raise Http404("No matches that day.")
    if result.selected == selectors.UNSCHEDULED:
        caption = gettext("Matches without a date yet")
    elif result.selected:
        caption = gettext("Matches of %(day)s") % {"day": _long_date(result.selected)}
    else:
        caption = ""
    export = reverse("tournaments:fixtures-csv", args=[year])
    table = FixturesTable(
        result.matches,
        caption=caption,
        year=year,
        export_url=export + _fixtures_query(request, result),
    )
    RequestConfig(request, paginate=False).configure(table)
    return season, result, table


def _fixtures_query(request, result) -> str:
    """The export link names the day shown, even when the page chose it (no ?fecha)."""
    kept = {name: request.GET[name] for name in ("orden", "pagina") if request.GET.get(name)}
    if result.selected == selectors.UNSCHEDULED:
        kept["fecha"] = "sin-fecha"
    elif result.selected:
        kept["fecha"] = result.selected.isoformat()
    return f"?{urlencode(kept)}" if kept else ""


def _long_date(day) -> str:
    return date_format(day, "l j F Y")


def corrections_table(request, year):
    """The season's corrections, a page at a time: 3 queries (2 when there are none)."""
    season = selectors.get_season(year)
    result = selectors.corrections(season, page_number(request))
    caption = ngettext(
        "%(count)s correction of a confirmed result",
        "%(count)s corrections of confirmed results",
        result.count,
    ) % {"count": result.count}
    export = reverse("tournaments:corrections-csv", args=[year]) + query(request, "pagina")
    table = CorrectionsTable(result.items, caption=caption, year=year, export_url=export)
    return season, result, table


# --- Live refresh ---------------------------------------------------------------------------


def live(matches) -> dict:
    """Whether the page follows its matches live, and how often it refreshes."""
    every = getattr(settings, "LIVE_REFRESH_SECONDS", LIVE_REFRESH_SECONDS)
    return {"live": selectors.is_live(matches, timezone.now()), "live_every": every}


def render_live(request, template: str, context: dict):
    """The whole page, or only its live part ("<template>#live") when its poller asks.

    The page's script asks with the header htmx uses (HX-Request), so the same URL serves
    both and caches keep them apart by that header (Vary).
    """
    fragment = getattr(request, "htmx", False)
    response = render(request, f"{template}#live" if fragment else template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
