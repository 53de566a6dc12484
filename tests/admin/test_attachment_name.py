"""Issue 20, item 5: the claim page's link to an evidence attachment shows the uploaded file's name,
not the random name it is stored under."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import services
from tests.admin.conftest import change_url, login, researching_claim
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_the_attachment_link_shows_the_uploaded_files_name(reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    claim = researching_claim(reviewer=reviewer)
    evidence = services.evidence_attach(
        claim=claim,
        source=SourceFactory(),
        excerpt="x",
        stance="context",
        user=reviewer,
        reason="r",
        attachment=SimpleUploadedFile("ministry-statement.txt", b"The ministry said so.\n", "text/plain"),
    )
    html = login(reviewer).get(change_url(claim)).content.decode()
    link = re.search(rf'<a href="{re.escape(evidence.attachment_url)}"[^>]*>([^<]*)</a>', html)
    assert link is not None, "no link to the attachment"
    assert link.group(1).strip() == "ministry-statement.txt"
