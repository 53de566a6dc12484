"""The vector index's sign-bit pass (claims.matching.index): past EXACT_ROWS it scores only the rows
nearest by Hamming distance, and must still return what an exact scan ranks first."""

import numpy as np
import pytest

from claims.matching.index import EXACT_ROWS, RESCORE_ROWS, VectorIndex, hamming_distances, sign_words


def test_sign_words_count_the_differing_signs() -> None:
    rows = np.array([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0], [-1.0, 1.0, -1.0]], dtype=np.float32)
    assert hamming_distances(sign_words(rows), sign_words(rows[0])).tolist() == [0, 1, 3]


def test_past_the_exact_size_the_top_matches_an_exact_scan() -> None:
    rng = np.random.default_rng(7)
    dim, size = 384, EXACT_ROWS + RESCORE_ROWS
    stories = rng.standard_normal((40, dim)).astype(np.float32)
    # Every row near one of 40 stories: thousands of rows are about as close as the true neighbours.
    vectors = stories[rng.integers(0, 40, size)] + 1.2 * rng.standard_normal((size, dim)).astype(np.float32)
    index = VectorIndex()
    index.put_many(list(range(1, size + 1)), vectors, ["en"] * size)
    for row in (3, 500, 9000):
        query = vectors[row] + 0.8 * rng.standard_normal(dim).astype(np.float32)
        query_unit = query / np.linalg.norm(query)
        exact = index.vectors(slice(0, index.size)) @ query_unit
        expected = [int(index.ids[i]) for i in np.argsort(-exact)[:5]]
        found = index.top(query, "en", 5)
        assert [claim_id for claim_id, _ in found] == expected
        assert found[0][1] == pytest.approx(float(exact[row]), abs=1e-6)


def test_the_int8_rows_score_as_their_float32_vectors_to_a_few_thousandths() -> None:
    """Rows are kept as int8 codes with a scale each. On the model's own vectors (the article's 20
    claims in en, ru, az and hy), every score is within 0.003 of the float32 cosine of the centred
    vectors, and each text finds itself first."""
    from benchmarks.matching.evaluation import load_set
    from claims.matching.centring import centred
    from claims.matching.embeddings import embed_texts

    topics = [topic for topic in load_set()[0] if topic["source"] == "article"]
    pairs = [(language, text) for topic in topics for language, text in topic["texts"].items()]
    languages = [language for language, _ in pairs]
    vectors = embed_texts([text for _, text in pairs])
    index = VectorIndex()
    index.means = {language: vectors[np.array(languages) == language].mean(axis=0) for language in set(languages)}
    index.put_many(list(range(1, len(pairs) + 1)), vectors, languages)
    stored = np.vstack(
        [centred(vector, index.means[language]) for vector, language in zip(vectors, languages, strict=True)]
    )
    for row, (vector, language) in enumerate(zip(vectors, languages, strict=True)):
        found = index.top(vector, language, len(pairs))
        assert found[0][0] == row + 1
        exact = stored @ stored[row]
        assert max(abs(score - exact[claim_id - 1]) for claim_id, score in found) < 0.003


def test_a_lookup_during_a_reload_waits_for_it_rather_than_reloading_again(monkeypatch) -> None:
    """A reload empties the index and reads the table while holding the lock: a second thread's
    lookup waits, then finds the index current (a reload that made a new lock let it in to reload too)."""
    import threading

    reading, release, reloads = threading.Event(), threading.Event(), []

    def batches(rows: object):
        reading.set()
        release.wait(5)
        yield [1, 2], np.eye(2, 4, dtype=np.float32), ["en", "en"]

    reload = VectorIndex._reload
    monkeypatch.setattr(VectorIndex, "_batches", staticmethod(batches))
    monkeypatch.setattr(VectorIndex, "_reload", lambda self, model: reloads.append(model) or reload(self, model))
    index = VectorIndex()
    first = threading.Thread(target=index.refresh, kwargs={"model": "m"})
    first.start()
    assert reading.wait(5)
    second = threading.Thread(target=index.refresh, kwargs={"model": "m"})
    second.start()
    second.join(0.2)  # time to reach the lock
    release.set()
    first.join(5)
    second.join(5)
    assert reloads == ["m"]
    assert len(index) == 2
