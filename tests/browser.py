"""Shared set-up of the browser tests: Debian's headless Chromium driven by Playwright.

A helper module, not a conftest: a test module makes its own `browser` fixture from
`chromium()`, so each file keeps its fixtures in sight. The browser is /usr/bin/chromium
(never `playwright install`); screenshots land in screenshots/ (git-ignored) for a person to
look at.
"""

from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"360": PHONE, "1280": DESKTOP}


@contextmanager
def chromium():
    """A headless Chromium for the length of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def window(browser, viewport=DESKTOP, *, locale="es-PE"):
    """A fresh browser window (its own cookies) of the given size, Lima's time zone."""
    context = browser.new_context(viewport=viewport, locale=locale, timezone_id="America/Lima")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def shot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot of the page under screenshots/<name>.png."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
