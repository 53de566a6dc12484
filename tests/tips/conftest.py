"""Tips already clustered by the real clustering service, as the worker leaves them."""

import pytest

from claims.models import Tip
from claims.tips import services


def clustered_tip(text: str, language: str = "en", **fields) -> Tip:
    tip = services.tip_submit(text=text, language=language, **fields)
    services.tip_cluster(tip_id=tip.pk)
    tip.refresh_from_db()
    return tip


@pytest.fixture
def soldiers_cluster(db):
    """Two tips (en, ru) about one claim, in one waiting cluster."""
    english = clustered_tip("The defence minister said 5,000 soldiers died in the war")
    russian = clustered_tip("Министр обороны заявил, что на войне погибли 5000 солдат", "ru")
    assert english.cluster_id == russian.cluster_id
    return english.cluster
