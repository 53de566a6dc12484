"""A floor on a quarter of the evaluation set (benchmarks/matching), with the real model: every
fourth claim, the distractors written against those claims, their rewordings and translations.
`make bench` reports the whole set; this only catches a regression."""

import pytest

from benchmarks.matching.evaluation import arrivals, build_desk, evaluate, load_set

pytestmark = pytest.mark.django_db

FLOOR = {"rewording": (0.8, 0.9), "translation": (0.8, 0.9)}


def test_rewordings_and_translations_are_found_above_the_floor_and_above_lexical():
    topics, distractors = load_set()
    subset = topics[::4]
    near = {t["id"] for t in subset}
    desk = build_desk(subset, [d for d in distractors if d["near"] in near])
    queries = arrivals(subset)
    assert len(queries) == 40
    results = evaluate(desk, queries, ("lexical", "hybrid"))
    for kind, (at1, at5) in FLOOR.items():
        ours, lexical = results["hybrid"][kind], results["lexical"][kind]
        assert ours["s1"] >= at1, (kind, ours)
        assert ours["s5"] >= at5, (kind, ours)
        assert ours["s1"] > lexical["s1"], (kind, ours, lexical)
