"""Schemathesis' own runner against the live server: with an editor token in all phases (examples,
coverage, fuzzing, stateful), and anonymously in the examples and fuzzing phases: zero 5xx.

The coverage phase is not bounded by `--max-examples` (it walks every boundary of every field:
some 3,500 cases per run for this API). Anonymously it only repeats the editor's reads, since every
write stops at 401 before its body is read, so the anonymous run leaves it out: the pair took
5 minutes of the PostgreSQL pass with it. The editor run leaves the logout endpoints out (they
would revoke the token the rest of the run uses). Case counts are printed for the report."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from knox.models import AuthToken

from tests.builders import claim_in_review

# PostgreSQL pass only: it is where a NUL byte or an oversized integer becomes a database error,
# and running it once keeps CI time bounded.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ST = str(Path(sys.executable).with_name("st"))
MAX_EXAMPLES = 3
PHASES = "examples,coverage,fuzzing,stateful"
ANONYMOUS_PHASES = "examples,fuzzing"
# The editor's run in shards by path, run at once, so the runners and the server keep both cores busy
# (one runner alone waits on the server in turn). The last shard is every other path. Links between
# shards are not followed by the stateful phase; those within a shard (a claim's own reads after its
# create) are.
EDITOR_SHARDS = [
    "^/api/v1/claims/",
    "^/api/v1/webhooks/",
    "^/api/v1/(sources|evidence)/",
    "^/api/v1/(verdicts|translations)/",
]


def schemathesis_command(live_server, schema: Path, junit: Path, *extra: str, phases: str = PHASES) -> list[str]:
    return [
        ST,
        "run",
        str(schema),
        f"--url={live_server.url}",
        f"--phases={phases}",
        f"--max-examples={MAX_EXAMPLES}",
        "--checks=not_a_server_error",
        "--workers=1",  # more workers trip a thread-safety bug in hypothesis (AST recursion mismatch)
        "--seed=11",
        "--no-color",
        "--request-timeout=30",  # a timeout is reported as an error: generous, for a busy machine
        "--suppress-health-check=all",
        "--report=junit",
        f"--report-junit-path={junit}",
        *extra,
    ]


def run_together(*commands: list[str]) -> list[tuple[int, str]]:
    """The runs at once: the live server is threaded and PostgreSQL serves them all."""
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for c in commands]
    results = []
    for process in processes:
        output, _ = process.communicate(timeout=900)
        results.append((process.returncode, output))
    return results


def case_count(output: str) -> int:
    match = re.search(r"Test cases:\s*\n?\s*(\d+) generated", output) or re.search(r"(\d+) generated", output)
    assert match, output[-3000:]
    return int(match.group(1))


def no_server_errors(status: int, output: str) -> bool:
    """Exit 0, or nothing but dropped connections. Django's live test server (wsgiref) now and then
    drops the connection of a malformed request instead of answering: no response, so no 5xx. Every
    answered request is still checked, and any failure (a 5xx) or any other error fails the test."""
    if status == 0:
        return True
    summary = re.search(r"Test cases:\s*\n?\s*([^\n]*)", output)
    if summary is None or "failed" in summary.group(1):
        return False
    errors = set(re.findall(r"🚫 ([^:\n]+): \d+", output))
    return errors == {"Network Error"} and "Connection aborted" in output


@pytest.fixture
def world(article_claims_tx, reviewer, editor, settings):
    # Schemathesis honours Retry-After: a 429 from the login throttle would make it sleep, not test.
    settings.API_THROTTLE_LOGIN = "100000/minute"
    claim_in_review(reviewer=reviewer)
    _instance, token = AuthToken.objects.create(user=editor)
    return token


def test_schemathesis_all_phases_anonymous_and_as_editor(live_server, tmp_path, world, capsys, client):
    # The schema is generated once here: drf-spectacular's generator is not safe for two concurrent
    # requests (it shares view state), and both runs would load it at the same moment.
    schema = tmp_path / "schema.yaml"
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema.write_bytes(response.content)
    token = f"--header=Authorization: Token {world}"
    editor_shards = [
        schemathesis_command(live_server, schema, tmp_path / f"editor-{n}.xml", token, f"--include-path-regex={shard}")
        for n, shard in enumerate(EDITOR_SHARDS)
    ] + [
        schemathesis_command(
            live_server,
            schema,
            tmp_path / "editor-rest.xml",
            token,
            f"--exclude-path-regex={'|'.join([*EDITOR_SHARDS, '/auth/logout'])}",
        )
    ]
    (anonymous_status, anonymous), *editor = run_together(
        schemathesis_command(live_server, schema, tmp_path / "anonymous.xml", phases=ANONYMOUS_PHASES),
        *editor_shards,
    )
    with capsys.disabled():
        print(
            f"\nschemathesis: anonymous ({ANONYMOUS_PHASES}) {case_count(anonymous)} cases, "
            f"editor ({PHASES}) {sum(case_count(output) for _, output in editor)} cases in {len(editor)} shards"
        )
    assert no_server_errors(anonymous_status, anonymous), anonymous[-6000:]
    for editor_status, as_editor in editor:
        assert no_server_errors(editor_status, as_editor), as_editor[-6000:]
