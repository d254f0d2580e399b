"""URLs of the open-data API, mounted at /api/v1/ (see docs/api.md), and the iCal feeds."""

from django.urls import path, re_path

from tournaments import api, ical

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("seasons/", api.seasons, name="seasons"),
    path("seasons/<int:year>/", api.season, name="season"),
    path("seasons/<int:year>/groups/", api.groups, name="groups"),
    path("seasons/<int:year>/groups/<slug:key>/", api.group, name="group"),
    path("seasons/<int:year>/matches/", api.matches, name="matches"),
    path("seasons/<int:year>/teams/", api.teams, name="teams"),
    path("seasons/<int:year>/teams/<slug:slug>/", api.team, name="team"),
    path(
        "seasons/<int:year>/teams/<slug:slug>/fixtures.ics",
        ical.team_fixtures,
        name="team-calendar",
    ),
    # Anything else ending in a slash is a JSON 404 (without a slash, Django first redirects).
    re_path(r"^(?P<path>.*)/$", api.unknown_endpoint, name="unknown"),
]
