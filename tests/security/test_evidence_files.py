"""Evidence attachments: the stored-XSS attack and its variants, replayed against the desk and the public.

Before: a reviewer uploaded `evil.html`; it was stored as `evidence/<claim id>/evil.html` and served
inline as text/html from MEDIA_URL to anyone, also for unpublished claims.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import services
from claims.intake.evidence_storage import evidence_storage
from claims.intake.validators import (
    ATTACHMENT_ACTIVE_CONTENT,
    ATTACHMENT_CONTENT_MISMATCH,
    ATTACHMENT_TEXT_NOT_PLAIN,
    ATTACHMENT_TYPE_NOT_ALLOWED,
)
from claims.models import Evidence
from tests.admin.conftest import change_url, form_data, login, researching_claim
from tests.builders import claim_in_review
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>fetch('/admin/').then(r => r.text()).then(steal)</script>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def upload_through_the_admin(user, filename: str, content: bytes):
    claim = researching_claim(reviewer=user)
    client = login(user)
    data = form_data(client.get(change_url(claim)))
    data.update(
        {
            "evidence-0-source": SourceFactory().pk,
            "evidence-0-excerpt": "An excerpt.",
            "evidence-0-stance": "context",
            "evidence-0-attachment": SimpleUploadedFile(filename, content),
            "change_reason": "Attach",
        }
    )
    return client.post(change_url(claim), data)


def attachment_errors(response) -> list[str]:
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Evidence).formset
    return formset.forms[0].errors["attachment"]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("evil.html", b"<html><body>" + SCRIPT, ATTACHMENT_TYPE_NOT_ALLOWED.split("{")[0]),
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', ATTACHMENT_TYPE_NOT_ALLOWED[:20]),
        ("page.png", b"<!DOCTYPE html><html>" + SCRIPT, ATTACHMENT_CONTENT_MISMATCH.format(extension="png")),
        ("polyglot.pdf", b"%PDF-1.4\n<html><body>" + SCRIPT + b"\n%%EOF", ATTACHMENT_ACTIVE_CONTENT),
        ("scripted.pdf", PDF + b"2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj", ATTACHMENT_ACTIVE_CONTENT),
        ("polyglot.png", PNG + b"tEXt<script>alert(1)</script>", ATTACHMENT_ACTIVE_CONTENT),
        ("binary.txt", b"MZ\x90\x00\x03\x00\x00\x00", ATTACHMENT_TEXT_NOT_PLAIN),
    ],
)
def test_active_or_mislabelled_uploads_are_refused_with_a_clear_error(reviewer, filename, content, message):
    response = upload_through_the_admin(reviewer, filename, content)
    assert response.status_code == 200
    assert attachment_errors(response)[0].startswith(message)
    assert not Evidence.objects.exists()


def test_a_marker_split_across_read_chunks_is_still_found(reviewer, settings, monkeypatch):
    monkeypatch.setattr("claims.intake.validators.CHUNK", 16)
    content = PDF + b"x" * (16 - len(PDF) % 16 - 3) + b"<script>"
    response = upload_through_the_admin(reviewer, "split.pdf", content)
    assert attachment_errors(response) == [ATTACHMENT_ACTIVE_CONTENT]


def attach(claim, user, filename: str, content: bytes) -> Evidence:
    return services.evidence_attach(
        claim=claim,
        source=SourceFactory(),
        excerpt="x",
        stance="context",
        user=user,
        reason="Attach",
        attachment=SimpleUploadedFile(filename, content),
    )


def test_a_text_file_with_a_script_is_kept_but_served_as_a_plain_text_download(client, reviewer):
    claim = researching_claim(reviewer=reviewer)
    evidence = attach(claim, reviewer, "evil.txt", b"<html>" + SCRIPT)
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.txt", evidence.attachment.name)
    client.force_login(reviewer)
    response = client.get(evidence.attachment_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="evil.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == b"<html>" + SCRIPT


def test_stored_names_are_random_and_media_is_not_served(client, reviewer, settings):
    claim = researching_claim(reviewer=reviewer)
    first = attach(claim, reviewer, "statement.pdf", PDF)
    second = attach(claim, reviewer, "statement.pdf", PDF)
    assert first.attachment.name != second.attachment.name
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.pdf", first.attachment.name)  # no claim id, no uploader name
    assert client.get(f"/media/{first.attachment.name}").status_code == 404
    assert client.get(f"/{settings.MEDIA_URL}{first.attachment.name}").status_code == 404
    assert first.attachment.url == first.attachment_url == f"/evidence-files/{first.attachment.name}"


def test_the_public_gets_no_attachment_of_an_unpublished_claim(client, reviewer, outsider):
    claim = researching_claim(reviewer=reviewer)
    evidence = attach(claim, reviewer, "statement.pdf", PDF)
    assert client.get(evidence.attachment_url).status_code == 404
    client.force_login(outsider)  # logged in, but in no desk role
    assert client.get(evidence.attachment_url).status_code == 404


def test_desk_roles_get_every_attachment_and_images_and_pdf_open_inline(client, reviewer, editor):
    claim = researching_claim(reviewer=reviewer)
    evidence = attach(claim, reviewer, "photo.png", PNG)
    client.force_login(editor)
    response = client.get(evidence.attachment_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert client.post(evidence.attachment_url).status_code == 405


def test_the_public_gets_attachments_of_published_claims_linked_from_the_page(client, reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    evidence = attach(claim, reviewer, "statement.pdf", PDF)
    claim = services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
    page = client.get(claim.get_absolute_url())
    assert evidence.attachment_url in page.content.decode()
    response = client.get(evidence.attachment_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="statement.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_download_view_costs_one_query(client, reviewer, django_assert_num_queries):
    claim = researching_claim(reviewer=reviewer)
    evidence = attach(claim, reviewer, "statement.pdf", PDF)
    url = evidence.attachment_url
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 404  # anonymous: scope filter and lookup in one query


def test_production_can_hand_the_bytes_to_nginx(client, reviewer, settings):
    settings.FACTCHECK_EVIDENCE_X_ACCEL_PREFIX = "/_evidence/"
    claim = researching_claim(reviewer=reviewer)
    evidence = attach(claim, reviewer, "photo.png", PNG)
    client.force_login(reviewer)
    response = client.get(evidence.attachment_url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_evidence/{evidence.attachment.name}"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response.content == b""


def test_the_migration_moves_files_kept_under_their_uploaders_names(reviewer):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("claims.migrations.0031_evidence_attachments_to_random_names")
    claim = researching_claim(reviewer=reviewer)
    evidence = attach(claim, reviewer, "ok.pdf", PDF)
    storage = evidence_storage()
    legacy_name = storage.save(f"evidence/{claim.pk}/evil.html", ContentFile(b"<html>" + SCRIPT))
    Evidence.objects.filter(pk=evidence.pk).update(attachment=legacy_name, attachment_name="")
    migration.move_to_random_names(apps, None)
    evidence.refresh_from_db()
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.html", evidence.attachment.name)
    assert evidence.attachment_name == "evil.html"
    assert not storage.exists(legacy_name)
    assert storage.open(evidence.attachment.name).read() == b"<html>" + SCRIPT
    assert evidence.history.first().history_change_reason == migration.REASON
    # Kept, but a type that is no longer accepted is only ever a download, never a page.
    client = login(reviewer)
    response = client.get(evidence.attachment_url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="evil.html"'
