"""Capturing sources: pasted text, HTML and PDF files built here, a URL served locally, and the refusals."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied

from claims.intake import capture
from claims.intake.capture import CaptureError, snapshot_capture, source_fields_from_metadata
from claims.models import SourceSnapshot
from claims.models.snapshots import SnapshotImmutable
from tests.conftest import make_user
from tests.factories import SourceFactory
from tests.intake.conftest import ARTICLE_HTML, build_pdf

pytestmark = pytest.mark.django_db


def test_pasted_text_is_kept_verbatim_with_its_sha256_and_a_history_row(reviewer):
    source = SourceFactory()
    text = "He said:\u00a0“only ten per cent” exploded.\r\nNext line."
    snapshot = snapshot_capture(source=source, user=reviewer, reason="Pasted from the site", text=text)
    assert snapshot.method == SourceSnapshot.Method.TEXT
    assert snapshot.text == "He said:\u00a0“only ten per cent” exploded.\nNext line."  # only line breaks unified
    assert bytes(snapshot.original) == text.encode("utf-8")
    assert snapshot.original_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert snapshot.text_sha256 == hashlib.sha256(snapshot.text.encode()).hexdigest()
    assert snapshot.captured_by == reviewer
    [row] = snapshot.history.all()
    assert (row.history_user, row.history_change_reason) == (reviewer, "Pasted from the site")


def test_capturing_again_makes_a_new_snapshot_and_a_snapshot_never_changes(reviewer):
    source = SourceFactory()
    first = snapshot_capture(source=source, user=reviewer, reason="First", text="Version one.")
    second = snapshot_capture(source=source, user=reviewer, reason="Again", text="Version two.")
    assert list(source.snapshots.order_by("id")) == [first, second]
    first.text = "Rewritten"
    with pytest.raises(SnapshotImmutable):
        first.save()
    assert SourceSnapshot.objects.get(pk=first.pk).text == "Version one."


def test_an_html_file_gives_its_main_text_and_metadata_to_prefill_the_source(reviewer):
    source = SourceFactory(title="", author="", publisher="", url="", published_on=None)
    snapshot = snapshot_capture(
        source=source, user=reviewer, reason="Saved page", file_data=ARTICLE_HTML.encode(), filename="page.html"
    )
    assert snapshot.method == SourceSnapshot.Method.HTML
    assert "only ten per cent of the missiles exploded" in " ".join(snapshot.text.split())
    assert "cookie" not in snapshot.text and "Home" not in snapshot.text  # boilerplate left out
    assert snapshot.metadata["author"] == "Vasif Huseynov"
    assert snapshot.metadata["sitename"] == "Example Review"
    offer = source_fields_from_metadata(source, snapshot.metadata)
    assert offer["author"] == "Vasif Huseynov"
    assert offer["publisher"] == "Example Review"
    assert offer["published_on"] == datetime.date(2021, 4, 24)
    assert "Iskander-M mystery" in offer["title"]


def test_metadata_never_overwrites_what_the_source_already_says(reviewer):
    source = SourceFactory(author="Someone else")
    assert "author" not in source_fields_from_metadata(source, {"author": "Vasif Huseynov"})


def test_a_pdf_file_gives_its_text(reviewer):
    pdf = build_pdf(["No Iskander-M missile was used during the war.", "Press office"])
    snapshot = snapshot_capture(source=SourceFactory(), user=reviewer, reason="Scan", file_data=pdf, filename="s.pdf")
    assert snapshot.method == SourceSnapshot.Method.PDF
    assert "No Iskander-M missile was used during the war." in snapshot.text
    assert snapshot.metadata == {"title": "Ministry statement", "author": "Press office"}
    assert bytes(snapshot.original) == pdf


def test_a_broken_pdf_is_refused_with_the_reason(reviewer):
    with pytest.raises(CaptureError) as info:
        snapshot_capture(
            source=SourceFactory(), user=reviewer, reason="x", file_data=b"%PDF-1.4\ngarbage", filename="s.pdf"
        )
    assert "not a readable PDF" in info.value.messages[0]
    assert not SourceSnapshot.objects.exists()


def test_a_url_is_fetched_and_extracted(reviewer, local_server, allow_loopback):
    snapshot = snapshot_capture(
        source=SourceFactory(), user=reviewer, reason="Fetched", url=local_server + "/to-article"
    )
    assert snapshot.method == SourceSnapshot.Method.URL
    assert snapshot.requested_url == local_server + "/to-article"
    assert snapshot.fetched_url == local_server + "/article.html"
    assert "Pashinyan admitted the use" in " ".join(snapshot.text.split())
    assert bytes(snapshot.original) == ARTICLE_HTML.encode()


def test_a_pdf_url_is_captured_as_pdf_text(reviewer, local_server, allow_loopback):
    snapshot = snapshot_capture(
        source=SourceFactory(), user=reviewer, reason="PDF", url=local_server + "/statement.pdf"
    )
    assert "No Iskander-M missile was used." in snapshot.text


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/to-private", "refused_private"),
        ("/to-metadata", "refused_link-local"),
        ("/big", "too_large"),
        ("/image.png", "wrong_type"),
    ],
)
def test_refused_urls_say_why_and_capture_nothing(reviewer, local_server, allow_loopback, path, code):
    with pytest.raises(CaptureError) as info:
        snapshot_capture(source=SourceFactory(), user=reviewer, reason="x", url=local_server + path)
    assert list(info.value.message_dict) == ["url"]
    assert info.value.message_dict["url"][0].startswith(("Refused", "The document"))
    assert not SourceSnapshot.objects.exists()


def test_a_private_address_is_refused(reviewer):
    with pytest.raises(CaptureError) as info:
        snapshot_capture(source=SourceFactory(), user=reviewer, reason="x", url="http://192.168.1.1/admin")
    assert "private address" in info.value.message_dict["url"][0]


def test_a_slow_server_is_refused_at_the_timeout(reviewer, local_server, allow_loopback, monkeypatch):
    monkeypatch.setattr(capture, "FETCH_TIMEOUT", 1)
    with pytest.raises(CaptureError) as info:
        snapshot_capture(source=SourceFactory(), user=reviewer, reason="x", url=local_server + "/slow")
    assert "within 1 seconds" in info.value.message_dict["url"][0]


def test_capturing_needs_the_role_and_a_reason(outsider, reviewer):
    with pytest.raises(PermissionDenied):
        snapshot_capture(source=SourceFactory(), user=outsider, reason="x", text="t")
    with pytest.raises(CaptureError):
        snapshot_capture(source=SourceFactory(), user=reviewer, reason="x")
    assert make_user("plain").has_perm("claims.add_sourcesnapshot") is False
