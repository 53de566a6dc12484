"""The sync client's storage: a resync is one transaction fed page by page, the report counts."""

import pytest

from factcheck_sync import Mirror, SyncReport


def claim(claim_id: int, headline: str = "H") -> dict:
    return {"id": claim_id, "slug": f"c-{claim_id}", "verdict": {"headline": headline}}


@pytest.fixture
def mirror(tmp_path):
    mirror = Mirror(str(tmp_path / "mirror.sqlite3"))
    yield mirror
    mirror.close()


def test_a_resync_streams_pages_and_reports_counts(mirror):
    mirror.replace_all([[claim(1), claim(2)], [claim(3)]], "cursor-1", SyncReport())
    seen = []
    report = SyncReport()
    pages = iter([[claim(1), claim(2, "Corrected")], [claim(4)]])
    mirror.replace_all(pages, "cursor-2", report, on_change=lambda kind, pk: seen.append((kind, pk)))
    assert (report.published, report.corrected, report.withdrawn) == (1, 1, 1)
    assert seen == [("published", 4), ("corrected", 2), ("withdrawn", 3)]
    assert mirror.count() == 3 and mirror.cursor() == "cursor-2"
    assert mirror.claims()[2]["verdict"]["headline"] == "Corrected"


def test_a_resync_that_fails_half_way_leaves_the_mirror_as_it_was(mirror):
    mirror.replace_all([[claim(1), claim(2)]], "cursor-1", SyncReport())

    def pages():
        yield [claim(7)]
        raise ConnectionError("the server went away")

    with pytest.raises(ConnectionError):
        mirror.replace_all(pages(), "cursor-2", SyncReport())
    assert set(mirror.claims()) == {1, 2}
    assert mirror.cursor() == "cursor-1"


def test_a_feed_page_updates_counters_not_lists(mirror):
    report = SyncReport()
    events = [
        {"claim_id": 1, "kind": "published", "claim": claim(1)},
        {"claim_id": 1, "kind": "corrected", "claim": claim(1, "Again")},
        {"claim_id": 1, "kind": "withdrawn", "claim": None},
        {"claim_id": 9, "kind": "withdrawn", "claim": None},  # never mirrored: nothing to withdraw
    ]
    mirror.apply_page(events, "next", report)
    assert (report.published, report.corrected, report.withdrawn, report.events) == (1, 1, 1, 4)
    assert mirror.count() == 0 and mirror.cursor() == "next"
