"""The project as a whole: `make run`'s setup is idempotent, checks are clean, settings are safe."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims.models import ChangeEvent, Claim, Claimant, ClaimRelation, Evidence, Rating, Source, Verdict
from claims.roles import EDITOR, REVIEWER
from tests.conftest import REPO_ROOT

TRACKED = [Claimant, Source, Claim, Evidence, Rating, Verdict, ClaimRelation]


def snapshot():
    return (
        {m.__name__: list(m.objects.order_by("pk").values()) for m in TRACKED},
        {m.__name__: m.history.count() for m in TRACKED},
        ChangeEvent.objects.count(),
        list(get_user_model().objects.order_by("pk").values("username", "password", "is_staff")),
    )


@pytest.mark.django_db
def test_setup_demo_loads_once_creates_desk_logins_and_a_second_run_changes_nothing(capsys):
    call_command("setup_demo")
    out = capsys.readouterr().out
    assert "username: reviewer" in out
    assert "Log in at http://127.0.0.1:8000/admin/" in out
    assert Claim.objects.count() >= 12
    reviewer = get_user_model().objects.get(username="reviewer")
    assert reviewer.is_staff and reviewer.groups.filter(name=REVIEWER).exists()
    assert get_user_model().objects.get(username="editor").groups.filter(name=EDITOR).exists()

    first = snapshot()
    call_command("setup_demo")
    assert "already loaded" in capsys.readouterr().out
    assert snapshot() == first


@pytest.mark.django_db
def test_setup_demo_does_not_undo_a_reviewers_edit(reviewer):
    from claims import services

    call_command("setup_demo", verbosity=0)
    claim = Claim.objects.get(slug="iskander-m-maximum-range-500-km")
    services.claim_update(
        claim=claim, user=reviewer, reason="Clarify", expected_version=claim.version, internal_notes="Check range"
    )
    call_command("setup_demo", verbosity=0)
    assert Claim.objects.get(pk=claim.pk).internal_notes == "Check range"


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def run_manage(*args, env_overrides=None):
    env = {**os.environ, **(env_overrides or {})}
    # The browser tests' conftest sets this for the test process only; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_system_check_is_clean():
    result = run_manage("check", env_overrides={"DJANGO_SETTINGS_MODULE": "factcheck.settings.development"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_deploy_check_is_clean_with_real_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "factcheck.settings.production",
            "SECRET_KEY": "k3$9Zp!vR2@wQ8#nL5^tY1&uJ6*hB4(eM7)cX0_fG" * 2,
            "ALLOWED_HOSTS": "factcheck.example",
            # Site-wide choices a deployment makes; with them on, nothing is left to warn about.
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "SECURE_HSTS_PRELOAD": "true",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("secret", ["", "short", "development-only-not-secret-do-not-deploy" + "x" * 20])
def test_production_settings_refuse_to_start_without_a_real_secret_key(secret):
    result = run_manage(
        "check",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "factcheck.settings.production",
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": "factcheck.example",
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "port", "login_url"),
    [
        ("127.0.0.1", "8123", "http://127.0.0.1:8123/admin/"),
        ("0.0.0.0", "9000", "http://127.0.0.1:9000/admin/"),
        ("localhost", "8000", "http://localhost:8000/admin/"),
        ("[::1]", "8080", "http://[::1]:8080/admin/"),
    ],
)
def test_setup_demo_prints_the_login_url_of_the_server_make_run_starts(capsys, host, port, login_url):
    call_command("setup_demo", "--host", host, "--port", port)
    assert f"Log in at {login_url} " in capsys.readouterr().out


@pytest.mark.django_db
def test_a_port_that_is_not_a_port_is_refused_with_a_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="PORT must be a number from 1 to 65535"):
        call_command("setup_demo", "--port", "80a")


def test_make_run_passes_host_and_port_to_the_server_and_the_login_url():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0", "PORT=8123"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert 'setup_demo --host "0.0.0.0" --port "8123"' in dry_run
    assert 'runserver "0.0.0.0:8123"' in dry_run
    default = subprocess.run(["make", "-n", "run"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    assert 'runserver "127.0.0.1:8000"' in default


@pytest.mark.django_db
def test_favicon_ico_is_served_on_every_site_path(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response.url)
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon" href="/static/claims/favicon.ico"' in client.get("/methodology/").content.decode()
