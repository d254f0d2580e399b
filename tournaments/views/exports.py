"""CSV exports of the pages' tables (tablib): the same rows, built by the same code.

Each export is the table its page shows, as plain text, under a URL ending in
`exportar.csv` beside the page, with the page's parameters (day, order, page).
"""

from django.http import Http404, HttpResponse

from tournaments import selectors
from tournaments.tables import GroupTable

from .common import block, corrections_table, fixtures_table, not_found_as_404, qualifiers_table


def csv_response(table, season, name: str) -> HttpResponse:
    """The table as a CSV file named for its season; a simulated season's says so."""
    simulated = "-simulada" if season.simulated else ""
    filename = f"copa-peru-{season.year}{simulated}-{name}.csv"
    response = HttpResponse(
        table.as_dataset().export("csv"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@not_found_as_404
def departmental_csv(request, year):
    """The departmental qualifiers: 2 queries."""
    season, table = qualifiers_table(year)
    return csv_response(table, season, "clasificados-departamentales")


@not_found_as_404
def group_csv(request, year, key):
    """A group's standings, or one of its playoff tables (?desempate=<round>): 3 queries.

    A tie has no table (its page shows the legs), so it has no export.
    """
    season, view = selectors.group_detail(year, key)
    item = block(view, year, table_class=GroupTable)
    wanted = request.GET.get("desempate")
    if wanted:
        rounds = {
            str(number): table
            for (number, _rows), table in zip(view.playoff_tables, item.playoffs, strict=True)
        }
        table = rounds.get(wanted)
        suffix = f"-desempate-{wanted}"
    else:
        table, suffix = item.table, ""
    if table is None:
        raise Http404("This group has no such table.")
    return csv_response(table, season, f"{key}{suffix}")


@not_found_as_404
def fixtures_csv(request, year):
    """One day's matches, in the page's order: 5 queries."""
    season, result, table = fixtures_table(request, year)
    if result.selected == selectors.UNSCHEDULED:
        day = "sin-fecha"
    else:
        day = result.selected.isoformat() if result.selected else "todos"
    return csv_response(table, season, f"partidos-{day}")


@not_found_as_404
def corrections_csv(request, year):
    """The corrections of a page of the list: 3 queries."""
    season, result, table = corrections_table(request, year)
    return csv_response(table, season, f"correcciones-{result.page}")
