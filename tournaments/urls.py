"""Public URLs of the fans' site, in Spanish: /2003/regional/I/, /2003/equipos/<slug>/...

CSV exports sit beside their page and end in `exportar.csv` (crawlers skip them).
"""

from django.urls import path

from tournaments import views
from tournaments.models import StageKind

app_name = "tournaments"

urlpatterns = [
    path("", views.home, name="home"),
    path("idioma/<str:code>/", views.language, name="language"),
    path("<int:year>/", views.season, name="season"),
    path(
        "<int:year>/distrital/",
        views.stage,
        {"kind": StageKind.DISTRICT},
        name="stage-district",
    ),
    path(
        "<int:year>/provincial/",
        views.stage,
        {"kind": StageKind.PROVINCIAL},
        name="stage-provincial",
    ),
    path("<int:year>/departamental/", views.departmental, name="departmental"),
    path(
        "<int:year>/departamental/exportar.csv",
        views.departmental_csv,
        name="departmental-csv",
    ),
    path(
        "<int:year>/departamental/grupos/",
        views.stage,
        {"kind": StageKind.DEPARTMENTAL},
        name="stage-departmental",
    ),
    path("<int:year>/regional/", views.regional, name="regional"),
    path("<int:year>/regional/<str:region>/", views.region, name="region"),
    path("<int:year>/nacional/", views.national, name="national"),
    path("<int:year>/grupos/<slug:key>/", views.group, name="group"),
    path("<int:year>/grupos/<slug:key>/exportar.csv", views.group_csv, name="group-csv"),
    path("<int:year>/equipos/", views.teams, name="teams"),
    path("<int:year>/equipos/<slug:slug>/", views.team, name="team"),
    path("<int:year>/partidos/", views.fixtures, name="fixtures"),
    path("<int:year>/partidos/exportar.csv", views.fixtures_csv, name="fixtures-csv"),
    path("<int:year>/correcciones/", views.corrections, name="corrections"),
    path(
        "<int:year>/correcciones/exportar.csv",
        views.corrections_csv,
        name="corrections-csv",
    ),
]
