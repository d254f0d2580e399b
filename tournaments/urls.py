"""Public URLs of the fans' site, in Spanish: /2003/regional/I/, /2003/equipos/<slug>/...

CSV exports sit beside their page and end in `exportar.csv` (crawlers skip them). Every public
page is served through the page cache (tournaments/caching.py), retired by any data change.
"""

from django.urls import path

from tournaments import views
from tournaments.caching import cached_page
from tournaments.models import StageKind

app_name = "tournaments"

urlpatterns = [
    # The most asked first: a URL is resolved by trying the patterns in order. The balancer's
    # health check comes first, so the benchmarks' trivial view resolves no later than a page.
    path("salud/", views.health, name="health"),
    path("<int:year>/grupos/<slug:key>/", cached_page(views.group), name="group"),
    path("<int:year>/regional/<str:region>/", cached_page(views.region), name="region"),
    path("<int:year>/nacional/", cached_page(views.national), name="national"),
    path("<int:year>/equipos/<slug:slug>/", cached_page(views.team), name="team"),
    path("", cached_page(views.home), name="home"),
    path("idioma/<str:code>/", views.language, name="language"),
    path("<int:year>/", cached_page(views.season), name="season"),
    path(
        "<int:year>/distrital/",
        cached_page(views.stage),
        {"kind": StageKind.DISTRICT},
        name="stage-district",
    ),
    path(
        "<int:year>/provincial/",
        cached_page(views.stage),
        {"kind": StageKind.PROVINCIAL},
        name="stage-provincial",
    ),
    path("<int:year>/departamental/", cached_page(views.departmental), name="departmental"),
    path(
        "<int:year>/departamental/exportar.csv",
        cached_page(views.departmental_csv),
        name="departmental-csv",
    ),
    path(
        "<int:year>/departamental/grupos/",
        cached_page(views.stage),
        {"kind": StageKind.DEPARTMENTAL},
        name="stage-departmental",
    ),
    path("<int:year>/regional/", cached_page(views.regional), name="regional"),
    path(
        "<int:year>/grupos/<slug:key>/exportar.csv", cached_page(views.group_csv), name="group-csv"
    ),
    path("<int:year>/equipos/", cached_page(views.teams), name="teams"),
    path("<int:year>/partidos/", cached_page(views.fixtures), name="fixtures"),
    path("<int:year>/partidos/exportar.csv", cached_page(views.fixtures_csv), name="fixtures-csv"),
    path("<int:year>/correcciones/", cached_page(views.corrections), name="corrections"),
    path(
        "<int:year>/correcciones/exportar.csv",
        cached_page(views.corrections_csv),
        name="corrections-csv",
    ),
]
