"""Production settings pass Django's deployment checks and send the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x9Y2kQ7vB4nM8pL3" * 3,
    "ALLOWED_HOSTS": "copaperu.example",
    "DATABASE_URL": "sqlite:////tmp/copaperu-deploy-check.sqlite3",
}


def production_env(**extra) -> dict:
    """The machine's environment less the test run's own switches, plus production's."""
    test_only = {"DJANGO_ALLOW_ASYNC_UNSAFE", "STATICFILES_BACKEND", "DJANGO_SETTINGS_MODULE"}
    base = {k: v for k, v in os.environ.items() if k not in test_only}
    return {**base, **PRODUCTION, **extra}


def test_check_deploy_reports_nothing_with_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env(SECRET_KEY="")
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy_and_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
