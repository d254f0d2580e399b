"""Shared test set-up: plain static storage, async-unsafe ORM allowed for Playwright."""

import os

# Set before Django reads its settings: plain static storage, so {% static %} needs no
# collectstatic manifest; the Django ORM may be called from Playwright's event-loop thread.
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    """Each test starts with an empty cache: no page cached by another test is served.

    The page cache's clock stands still (a test crossing a five-minute boundary would see its
    page rendered again); tests of the clock move it themselves.
    """
    from tournaments import caching

    caching.clear()
    monkeypatch.setattr(caching, "_clock_bucket", lambda: 0)
    yield


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """Leave the thread's language as the next test expects it (the default, Spanish): the
    language middleware activates a cookie's language for the thread and leaves it on."""
    yield
    from django.utils import translation

    translation.deactivate()
