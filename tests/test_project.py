"""The project as a whole: `make run`'s setup is idempotent, checks are clean, settings are safe."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims.models import ChangeEvent, Claim, Claimant, ClaimRelation, Evidence, Rating, Source, Verdict
from claims.roles import EDITOR, REVIEWER

from .conftest import REPO_ROOT

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
    assert "http://127.0.0.1:8000/admin/" in out
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
    # The browser tests' conftest sets this for the whole session when it is collected; a
    # deployment never has it (the deploy check refuses it).
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
