"""A client generated from the OpenAPI schema (openapi-python-client, as an API consumer would make
one) reads the claims and the change feed anonymously from a live server.

The schema declares anonymous access on public reads (`security: [{}, …]`). openapi-python-client
0.29 still types those functions as taking an `AuthenticatedClient` (its issue #1372: it does not
read `{}`), so this test passes a plain, token-less `Client`: what matters is that the server and
the generated parsers agree without credentials.
"""

import importlib
import json
import subprocess
import sys

import pytest
import yaml

from claims.models import ChangeEvent, Claim

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "factcheck_client"
GENERATE_TIMEOUT_SECONDS = 120
ANONYMOUS_READS = [
    "/api/v1/claims/",
    "/api/v1/claims/{id}/",
    "/api/v1/verdicts/",
    "/api/v1/changes/",
    "/api/v1/changes/head/",
    "/api/v1/claimreview/",
    "/api/v1/ratings/",
]


@pytest.fixture(scope="module")
def generated_client(openapi_schema, tmp_path_factory):
    """The generated package, imported from a temporary directory (and forgotten afterwards)."""
    root = tmp_path_factory.mktemp("client")
    config = root / "config.yaml"
    config.write_text(yaml.safe_dump({"package_name_override": PACKAGE, "post_hooks": []}))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(openapi_schema.path),
            "--output-path",
            str(root / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        check=True,
        capture_output=True,
        timeout=GENERATE_TIMEOUT_SECONDS,
    )
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_public_reads_declare_anonymous_access_and_writes_do_not(openapi_schema):
    paths = openapi_schema.document["paths"]
    for path in ANONYMOUS_READS:
        assert paths[path]["get"]["security"][0] == {}, path
    assert {} not in paths["/api/v1/claims/"]["post"]["security"]
    assert {} not in paths["/api/v1/claims/{id}/transitions/"]["post"]["security"]
    assert {} not in paths["/api/v1/auth/login/"]["post"]["security"]


def test_main_reads_and_the_feed_have_examples(openapi_schema):
    paths = openapi_schema.document["paths"]
    for path in ["/api/v1/claims/", "/api/v1/claims/{id}/", "/api/v1/changes/", "/api/v1/claimreview/"]:
        content = paths[path]["get"]["responses"]["200"]["content"]["application/json"]
        assert content["examples"], path


def test_a_generated_client_reads_claims_and_the_feed_without_credentials(
    generated_client, live_server, article_claims_tx
):
    from factcheck_client.api.changes import changes_retrieve
    from factcheck_client.api.claims import claims_list, claims_retrieve
    from factcheck_client.models import ChangeFeedPage, PaginatedClaimList

    client = generated_client.Client(base_url=live_server.url, timeout=10.0, raise_on_unexpected_status=True)
    published = {claim.pk: claim for claim in Claim.objects.published()}

    claims: dict[int, object] = {}
    cursor = None
    while True:
        page = claims_list.sync(client=client, page_size=2, **({"cursor": cursor} if cursor else {}))
        assert isinstance(page, PaginatedClaimList), page
        claims.update({claim.id: claim for claim in page.results})
        if not page.next_:
            break
        cursor = page.next_.split("cursor=")[1].split("&")[0]
    assert set(claims) == set(published)
    pashinyan = next(c for c in claims.values() if c.slug.startswith("pashinyan-only"))
    assert pashinyan.url == f"{live_server.url}/claims/{pashinyan.slug}/"
    assert pashinyan.verdict.rating.label == "Retracted by the claimant"
    assert claims_retrieve.sync(id=pashinyan.id, client=client).claim_reviewed == pashinyan.claim_reviewed

    feed = changes_retrieve.sync(client=client, limit=500)
    assert isinstance(feed, ChangeFeedPage), feed
    assert [event.id for event in feed.events] == list(ChangeEvent.objects.order_by("id").values_list("id", flat=True))
    assert {event.claim_id for event in feed.events if event.kind.value == "published"} == set(published)
    assert feed.has_more is False


def test_the_examples_are_what_the_api_serves_for_the_demo_data(client, article_claims_tx):
    from claims.api import examples

    def on_the_test_server(example: dict) -> dict:
        # The examples link to the documentation's site; the test client serves them from testserver.
        return json.loads(json.dumps(example).replace(examples.EXAMPLE_SITE, "http://testserver"))

    served = client.get(f"/api/v1/claims/{examples.CLAIM['id']}/").json()
    assert served == on_the_test_server(examples.CLAIM)
    assert served["url"] == "http://testserver" + examples.CLAIM["url"].removeprefix(examples.EXAMPLE_SITE)
    review = client.get("/api/v1/claimreview/?page_size=200").json()["results"]
    assert on_the_test_server(examples.CLAIM_REVIEW) in review
