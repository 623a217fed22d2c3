"""Start-up refuses a missing or malformed variable with a message naming it; production defaults pass
`check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    # A clean environment: the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deploy check.
    inherited = {
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "CACHE_URL",
        "EMAIL_URL",
        "PYTEST_CURRENT_TEST",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DJANGO_SETTINGS_MODULE",
        "PORTAL_BASE_URL",
        "TASKS_BACKEND",
        "INSPECTIONS_ICAL_TOKEN",
        "TRUSTED_PROXIES",
    }
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {"DEBUG": "false", "ALLOWED_HOSTS": "portal.example.jp", "PORTAL_BASE_URL": "https://portal.example.jp"}


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"PORTAL_BASE_URL": ""}, "PORTAL_BASE_URL"),
        ({"PORTAL_BASE_URL": "http://127.0.0.1:8000"}, "PORTAL_BASE_URL"),
        ({"PORTAL_BASE_URL": "http://localhost"}, "PORTAL_BASE_URL"),
        ({"PORTAL_BASE_URL": "https://[::1]:8443"}, "PORTAL_BASE_URL"),
        ({"TASKS_BACKEND": "immediate"}, "TASKS_BACKEND"),
        ({"INSPECTIONS_ICAL_TOKEN": "short-secret"}, "INSPECTIONS_ICAL_TOKEN"),
        ({"TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES"),
    ],
)
def test_unsafe_production_settings_stop_start_up_naming_them(overrides, named):
    result = _manage("check", SECRET_KEY=secrets.token_urlsafe(50), **{**PRODUCTION, **overrides})
    assert result.returncode != 0
    assert named in result.stderr


def test_production_sends_mail_from_the_worker_not_the_request():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django_tasks_db.DatabaseBackend"


def test_missing_secret_key_stops_start_up_naming_it():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("DATABASE_URL", "nonsense"), ("AXES_FAILURE_LIMIT", "five"), ("TASKS_BACKEND", "celery")],
)
def test_malformed_variables_stop_start_up_naming_them(name, value):
    result = _manage("check", **{"DEBUG": "true", name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_setup_with_an_unreachable_database_prints_the_error_not_a_traceback():
    result = _manage("setup", DEBUG="true", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode == 1
    assert "データベースに接続できません" in result.stderr
    assert "Traceback" not in result.stderr
