"""A tip's link is fetched only when a reviewer chooses to capture it: the desk's button stores an
intake job (with the reason, in the tip's history) and fetches nothing in the request; the worker
captures it through the address guard, which refuses internal addresses."""

import socket

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from claims.intake import net
from claims.intake.jobs import intake_job_run
from claims.intake.net import REFUSED_ADDRESS
from claims.models import IntakeJob, Source, Tip
from claims.tips.capture import TIP_HAS_NO_LINK, tip_link_capture
from tests.admin.conftest import login
from tests.conftest import make_user
from tests.intake.conftest import local_server  # noqa: F401  (a fixture)
from tests.tips.conftest import clustered_tip

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve, connect or fetch fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(net, "fetch_public_url", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def capture_url(tip: Tip) -> str:
    return reverse("admin:claims_tipcluster_capture_tip", args=[tip.cluster_id, tip.pk])


def test_the_cluster_page_offers_the_capture_and_the_button_only_enqueues(
    reviewer, no_network, django_assert_max_num_queries
):
    tip = clustered_tip("The minister said bread costs 5 manat", url="https://example.org/post/1")
    client = login(reviewer)
    page = client.get(reverse("admin:claims_tipcluster_change", args=[tip.cluster_id]))
    assert f'href="{capture_url(tip)}"' in page.content.decode()
    with django_assert_max_num_queries(12):
        form = client.get(capture_url(tip))
    assert form.status_code == 200 and '<code id="tip-link">https://example.org/post/1</code>' in form.text
    with django_assert_max_num_queries(25):
        response = client.post(capture_url(tip), {"kind": "social_post", "change_reason": "The post may be the source"})
    job = IntakeJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_intakejob_change", args=[job.pk])
    assert (job.kind, job.status, job.url, job.created_by) == ("source", "queued", tip.url, reviewer)
    assert job.fields == {"kind": "social_post", "url": tip.url}
    assert job.reason == f"The post may be the source (the link sent with tip #{tip.pk})"
    assert DBTaskResult.objects.filter(task_path__endswith="run_intake_job", args_kwargs__args=[job.pk]).count() == 1
    assert not Source.objects.exists()  # nothing fetched, nothing created in the request
    last = tip.history.order_by("-history_id").first()
    assert last.history_user == reviewer
    assert last.history_change_reason == (
        f"Link sent for capture as a source (intake job #{job.pk}): The post may be the source"
    )
    progress = client.get(response["Location"])
    assert progress.status_code == 200 and 'id="job-progress"' in progress.text


def test_a_reason_is_required_and_a_tip_without_a_link_has_nothing_to_capture(reviewer, no_network):
    tip = clustered_tip("A tip with a link", url="https://example.org/a")
    answer = login(reviewer).post(capture_url(tip), {"kind": "news", "change_reason": " "})
    assert answer.status_code == 200 and not IntakeJob.objects.exists()
    bare = clustered_tip("A tip without a link")
    assert login(reviewer).get(capture_url(bare)).status_code == 404
    with pytest.raises(ValidationError) as refused:
        tip_link_capture(tip=bare, user=reviewer, reason="Try", kind="news")
    assert str(TIP_HAS_NO_LINK) in str(refused.value)
    assert not IntakeJob.objects.exists()


def test_only_the_desk_may_capture(outsider, no_network):
    tip = clustered_tip("A tip with a link", url="https://example.org/a")
    staff = make_user("sam-staff")
    for user in (outsider, staff):
        assert login(user).post(capture_url(tip), {"kind": "news", "change_reason": "x"}).status_code in (302, 403)
    assert not IntakeJob.objects.exists()


@pytest.mark.parametrize(
    ("url", "host", "kind"),
    [
        ("http://127.0.0.1:8000/admin/", "127.0.0.1", "loopback"),
        ("http://10.0.0.7/internal", "10.0.0.7", "private"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"),
    ],
)
def test_an_internal_link_in_a_tip_is_refused_by_the_address_guard_when_captured(
    url, host, kind, reviewer, settings, monkeypatch
):
    settings.FACTCHECK_FETCH_ALLOWED_NETWORKS = []

    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    monkeypatch.setattr(socket.socket, "connect", no_connection)
    tip = clustered_tip("Look at this internal page", url=url)
    job = tip_link_capture(tip=tip, user=reviewer, reason="Check the link", kind="news")
    assert intake_job_run(job_id=job.pk) == "failed"  # what the worker runs
    job.refresh_from_db()
    assert job.error_text == REFUSED_ADDRESS.format(host=host, address=host, kind=kind)
    assert not Source.objects.exists()
    page = login(reviewer).get(reverse("admin:claims_intakejob_change", args=[job.pk]))
    assert 'id="job-error"' in page.text and "which this server does not fetch" in page.text


def test_a_public_link_becomes_a_source_with_its_first_capture_in_the_worker(reviewer, local_server, settings):  # noqa: F811
    settings.FACTCHECK_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the test server stands in for the web
    tip = clustered_tip("Was the article right?", url=f"{local_server}/article.html")
    job = tip_link_capture(tip=tip, user=reviewer, reason="The article the tipster saw", kind="opinion")
    assert intake_job_run(job_id=job.pk) == "done"
    source = Source.objects.get()
    assert source.url == tip.url and source.kind == "opinion" and source.snapshots.count() == 1
    first = source.history.get()
    assert first.history_user == reviewer and f"tip #{tip.pk}" in first.history_change_reason
