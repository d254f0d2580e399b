"""App instances side by side over loopback, and an official who types a result into one.

Shared by bench/run.py (result-to-page latency) and tests/test_two_instances.py. `Instance`
runs gunicorn in its own process group; `Official` is what a browser does in the admin:
log in with the CSRF cookie and token, open a match's page, post the form back as it came
with a new score (the `loaded_version` it was loaded at included). Standard library only.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    """A public page as an anonymous visitor gets it."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


class Instance:
    """gunicorn serving copaperu.wsgi on a free loopback port, with the given environment."""

    def __init__(self, env: dict, *, workers: int = 1, timeout: float = 30):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "copaperu.wsgi", "-w", str(workers)]
        command += ["-b", f"127.0.0.1:{self.port}", "--log-level", "error"]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fetch(self.base + "/salud/")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"gunicorn did not start on {self.base}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """End the master and its workers (the whole process group), whatever state they are in."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class FormFields(HTMLParser):
    """What one form (found by id) submits as it stands: inputs, checked boxes, selects.

    One value per name, which is all the admin's login and match forms have.
    """

    SKIPPED = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in self.SKIPPED:
            if a.get("type") not in ("checkbox", "radio"):
                self.fields[a["name"]] = a.get("value", "")
            elif "checked" in a:
                self.fields[a["name"]] = a.get("value") or "on"
        elif tag == "select":
            self.select = a.get("name")
        elif (
            tag == "option" and self.select and ("selected" in a or self.select not in self.fields)
        ):
            self.fields[self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


class _Stay(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to look at (where did the admin send us?), not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


class Official:
    """One browser session in one instance's admin."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _Stay()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """GET, or POST a form the way a browser does; (status, Location, body)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if body is not None:
            request.add_header("Origin", self.base)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as answer:  # 3xx (not followed) and 4xx/5xx
            with answer:
                return answer.code, answer.headers.get("Location", ""), answer.read().decode()

    def form(self, path: str, form_id: str) -> dict[str, str]:
        status, _, page = self.request(path)
        if status != 200:
            raise AssertionError(f"GET {path}: {status}")
        parser = FormFields(form_id)
        parser.feed(page)
        if "csrfmiddlewaretoken" not in parser.fields:
            raise AssertionError(f"no form #{form_id} with a CSRF token at {path}")
        return parser.fields

    def log_in(self, username: str, password: str) -> None:
        fields = self.form("/admin/login/", "login-form")
        fields.update(username=username, password=password)
        status, location, page = self.request("/admin/login/", fields)
        if status != 302:
            raise AssertionError(f"login as {username} refused ({status}):\n{page[-2000:]}")

    def save_result(self, match_id: int, home_goals: int, away_goals: int) -> str:
        """Post the match's change form with a new score; the admin's redirect on success."""
        path = f"/admin/tournaments/match/{match_id}/change/"
        fields = self.form(path, "match_form")
        fields.update(home_goals=str(home_goals), away_goals=str(away_goals), _save="Save")
        status, location, page = self.request(path, fields)
        # Saved: back to the results-day list. Refused: the form again, or the login page.
        if status != 302 or urllib.parse.urlsplit(location).path != "/admin/tournaments/match/":
            raise AssertionError(f"the admin did not save the result ({status}):\n{page[-3000:]}")
        return location
