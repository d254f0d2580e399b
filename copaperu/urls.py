"""Top-level URLs: the admin, language switching, and the public site."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("tournaments.api_urls")),
    path("", include("tournaments.urls")),
]
