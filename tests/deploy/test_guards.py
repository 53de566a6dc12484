"""Commands that destroy or overwrite data refuse under production settings, and loading the demo
fixture never reverts the desk's edits silently."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims import services
from claims.management.guards import refuse_in_production
from claims.models import Claim, Verdict
from tests.deploy.servers import SECRET_KEY
from tests.test_project import run_manage

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "factcheck.settings.production",
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": "factcheck.example",
}


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["flush", "--noinput"], "flush"),
        (["setup_demo"], "setup_demo"),
        (["loaddata", "article_claims"], "loaddata of the demo fixture"),
    ],
)
def test_destructive_commands_refuse_under_production_settings(args, command, tmp_path):
    # The refusal comes before anything touches the database (this one does not even exist).
    database = tmp_path / "production.sqlite3"
    result = run_manage(*args, env_overrides={**PRODUCTION, "DATABASE_URL": f"sqlite:///{database}"})
    assert result.returncode != 0
    assert f"{command} refuses to run under production settings" in result.stderr
    assert "factcheck.settings.production" in result.stderr
    assert not database.exists() or database.stat().st_size == 0


def test_the_guard_is_a_helper_other_commands_call(settings):
    settings.FACTCHECK_PRODUCTION = True
    with pytest.raises(CommandError, match="generate_load refuses to run under production settings"):
        refuse_in_production("generate_load")
    settings.FACTCHECK_PRODUCTION = False
    refuse_in_production("generate_load")  # development and tests: allowed


@pytest.mark.django_db(transaction=True)  # flush TRUNCATEs: not inside a test transaction
def test_flush_still_works_outside_production(article_claims_tx):
    call_command("flush", "--noinput", verbosity=0)
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_reloading_the_demo_fixture_keeps_desk_edits_and_says_so(article_claims, reviewer, editor, capsys):
    claim = Claim.objects.get(slug="iskander-m-maximum-range-500-km")
    services.claim_update(
        claim=claim, user=reviewer, reason="Clarify", expected_version=claim.version, internal_notes="Check range"
    )
    published = Claim.objects.published().first()
    services.claim_transition(
        claim=published, to_status="archived", user=editor, reason="Out of scope", public_reason="Out of our scope."
    )
    untouched = Verdict.objects.exclude(claim__in=[claim, published]).first()
    capsys.readouterr()

    call_command("loaddata", "article_claims")

    out = capsys.readouterr().out
    assert "not reverted" in out
    assert f"claims.claim #{claim.pk}" in out and f"claims.claim #{published.pk}" in out
    claim.refresh_from_db()
    published.refresh_from_db()
    assert claim.internal_notes == "Check range"
    assert published.status == Claim.Status.ARCHIVED
    assert f"claims.verdict #{untouched.pk}" not in out  # never edited: reloaded as the fixture says
