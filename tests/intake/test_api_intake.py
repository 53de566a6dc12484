"""The API's intake: sources with captures, anchored claims and evidence, similar claims."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from claims.intake.anchoring import PASSAGE_AMBIGUOUS, PASSAGE_NOT_FOUND
from claims.intake.capture import snapshot_capture
from claims.models import Claim, Evidence, Source, SourceSnapshot
from tests.api.conftest import token_client
from tests.factories import ClaimantFactory, SourceFactory
from tests.intake.conftest import ARTICLE_HTML, build_pdf
from tests.intake.test_similarity import SIMILAR_QUERIES

pytestmark = pytest.mark.django_db

TEXT = "He said: “only ten per cent of the missiles exploded”. Later\u00a0he said it again: “only ten per cent”."


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def snapshot(reviewer):
    return snapshot_capture(source=SourceFactory(), user=reviewer, reason="Pasted", text=TEXT)


def test_a_source_is_created_with_its_first_capture_from_text(reviewer):
    response = token_client(reviewer).post(
        "/api/v1/sources/",
        {"title": "Statement", "kind": "official_statement", "text": TEXT, "reason": "New"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    snapshot = SourceSnapshot.objects.get(pk=body["snapshot"]["id"])
    assert body["source"]["title"] == "Statement"
    assert snapshot.text == TEXT and body["snapshot"]["text_sha256"] == snapshot.text_sha256
    assert Source.objects.get().history.first().history_user == reviewer


def done_job(client, response, run_worker) -> dict:
    """A 202's job, after the worker ran it."""
    assert response.status_code == 202, response.content
    run_worker()
    return client.get(response.json()["status_url"]).json()


def test_a_source_from_an_html_upload_takes_title_and_author_from_its_metadata(reviewer, run_worker):
    upload = SimpleUploadedFile("page.html", ARTICLE_HTML.encode(), content_type="text/html")
    client = token_client(reviewer)
    response = client.post(
        "/api/v1/sources/", {"kind": "opinion", "file": upload, "reason": "Saved page"}, format="multipart"
    )
    assert done_job(client, response, run_worker)["status"] == "done"
    source = Source.objects.get()
    assert source.author == "Vasif Huseynov"
    assert source.title.startswith("Iskander-M mystery")


def test_a_source_from_a_url_and_a_second_capture_of_it(reviewer, local_server, allow_loopback, run_worker):
    client = token_client(reviewer)
    response = client.post(
        "/api/v1/sources/",
        {"title": "Ministry", "kind": "official_statement", "url": local_server + "/statement.pdf", "reason": "Fetch"},
        format="json",
    )
    source_id = done_job(client, response, run_worker)["result"]["source"]
    again = client.post(
        f"/api/v1/sources/{source_id}/snapshots/",
        {"file": SimpleUploadedFile("s.pdf", build_pdf(["Second version."])), "reason": "Updated"},
        format="multipart",
    )
    snapshot_id = done_job(client, again, run_worker)["result"]["snapshot"]
    assert SourceSnapshot.objects.filter(source_id=source_id).count() == 2
    assert "Second version." in SourceSnapshot.objects.get(pk=snapshot_id).text


def test_a_refused_capture_fails_its_job_with_the_reason_and_creates_no_source(reviewer, run_worker):
    client = token_client(reviewer)
    response = client.post(
        "/api/v1/sources/",
        {"title": "Internal", "kind": "report", "url": "http://169.254.169.254/latest/", "reason": "x"},
        format="json",
    )
    job = done_job(client, response, run_worker)
    assert job["status"] == "failed" and "link-local address" in job["error"]
    assert not Source.objects.exists()


def test_capturing_needs_a_token_with_the_role(api_client, outsider, snapshot):
    assert api_client.post(f"/api/v1/sources/{snapshot.source_id}/snapshots/", {"text": "x"}).status_code == 401
    response = token_client(outsider).post("/api/v1/sources/", {"title": "x", "kind": "report", "text": "t"})
    assert response.status_code == 403


def test_a_claim_from_snapshot_and_exact_answers_with_the_computed_anchor(reviewer, snapshot):
    response = token_client(reviewer).post(
        "/api/v1/claims/",
        {
            "snapshot": snapshot.pk,
            "exact": '"only ten per cent of the missiles exploded"',  # straight quotes, as typed
            "claim_reviewed": "Only 10% exploded",
            "slug": "ten-per-cent",
            "claimant": ClaimantFactory().pk,
            "reason": "From the statement",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    anchor = response.json()["anchor"]
    claim = Claim.objects.get(slug="ten-per-cent")
    assert claim.text == claim.quote_exact == "“only ten per cent of the missiles exploded”"
    assert claim.appeared_in_id == snapshot.source_id
    quote, position = anchor["selectors"]
    assert anchor["verified"] and anchor["snapshot"] == snapshot.pk
    assert quote == {"type": "TextQuoteSelector", "exact": claim.quote_exact, "prefix": "", "suffix": ""}
    assert TEXT[position["start"] : position["end"]] == claim.quote_exact


@pytest.mark.parametrize(
    ("exact", "message"),
    [
        ("only twenty per cent", PASSAGE_NOT_FOUND.format(snapshot="{pk}")),
        ("only ten per cent", PASSAGE_AMBIGUOUS.format(count=2)),
    ],
)
def test_a_passage_absent_or_ambiguous_is_a_400_with_the_reason(reviewer, snapshot, exact, message):
    response = token_client(reviewer).post(
        "/api/v1/claims/",
        {
            "snapshot": snapshot.pk,
            "exact": exact,
            "claim_reviewed": "x",
            "slug": "x",
            "claimant": ClaimantFactory().pk,
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"exact": [message.replace("{pk}", str(snapshot.pk))]}
    assert not Claim.objects.exists()


def test_evidence_from_snapshot_and_exact_with_context_to_choose(reviewer, snapshot):
    claim = Claim.objects.create(text="t", claim_reviewed="c", slug="c", claimant=ClaimantFactory())
    response = token_client(reviewer).post(
        "/api/v1/evidence/",
        {
            "claim": claim.pk,
            "snapshot": snapshot.pk,
            "exact": "only ten per cent",
            "prefix": "said it again: “",
            "stance": "context",
            "reason": "He repeated it",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    assert evidence.excerpt_start == TEXT.rindex("only ten per cent")
    assert response.json()["anchor"]["selectors"][1]["start"] == evidence.excerpt_start
    assert evidence.source_id == snapshot.source_id


def test_similar_claims_for_the_desk_only(article_claims, reviewer, api_client, django_assert_num_queries):
    assert api_client.get("/api/v1/claims/similar/", {"text": "Pashinyan"}).status_code == 401
    client = token_client(reviewer)
    assert client.get("/api/v1/claims/similar/").status_code == 400
    client.get("/api/v1/claims/similar/", {"text": "warm up"})
    # knox reads the token twice (lookup, then with its user), the user and group permissions, the
    # similar claims (see test_similarity).
    # + 1: the vector index's look at vectors changed since the last lookup (claims.matching).
    with django_assert_num_queries(4 + SIMILAR_QUERIES[connection.vendor] + 1):
        response = client.get(
            "/api/v1/claims/similar/", {"text": "Pashinyan said only 10% of the Iskander missiles exploded"}
        )
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["slug"] == "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
    assert first["status"] == "published" and first["verdict"]["rating"]["slug"] == "retracted-by-claimant"


def test_the_schema_documents_the_intake_endpoints(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/sources/"]
    assert "post" in paths["/api/v1/sources/{id}/snapshots/"]
    assert "get" in paths["/api/v1/claims/similar/"]
    assert "post" in paths["/api/v1/evidence/"]
    claim_request = paths["/api/v1/claims/"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert {"snapshot", "exact"} <= set(schema["components"]["schemas"][claim_request.rsplit("/", 1)[1]]["properties"])


def test_patching_a_prefix_with_edge_spaces_keeps_them(reviewer):
    claim = Claim.objects.create(
        text="only ten per cent", claim_reviewed="c", slug="c", claimant=ClaimantFactory(), quote_exact="only ten"
    )
    client = token_client(reviewer)
    etag = client.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    response = client.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"quote_prefix": "that\u00a0", "quote_suffix": " per", "reason": "Context"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert (claim.quote_prefix, claim.quote_suffix) == ("that\u00a0", " per")


@pytest.mark.django_db(transaction=True)
def test_a_url_capture_fetches_before_any_transaction_opens(
    reviewer, local_server, allow_loopback, monkeypatch, run_worker
):
    """A slow site (up to 10 s) must not hold a transaction and its locks open: the fetch comes first."""
    from claims.intake import net

    real_fetch = net.fetch_public_url
    inside_a_transaction = []

    def watched_fetch(*args, **kwargs):
        inside_a_transaction.append(connection.in_atomic_block)
        return real_fetch(*args, **kwargs)

    monkeypatch.setattr(net, "fetch_public_url", watched_fetch)
    client = token_client(reviewer)
    response = client.post(
        "/api/v1/sources/",
        {"title": "Ministry", "kind": "official_statement", "url": local_server + "/plain.txt", "reason": "Fetch"},
        format="json",
    )
    source_id = done_job(client, response, run_worker)["result"]["source"]
    again = client.post(
        f"/api/v1/sources/{source_id}/snapshots/",
        {"url": local_server + "/plain.txt", "reason": "Again"},
        format="json",
    )
    assert done_job(client, again, run_worker)["status"] == "done"
    assert inside_a_transaction == [False, False]
