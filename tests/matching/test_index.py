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
        exact = index.matrix[: index.size] @ query_unit
        expected = [int(index.ids[i]) for i in np.argsort(-exact)[:5]]
        found = index.top(query, "en", 5)
        assert [claim_id for claim_id, _ in found] == expected
        assert found[0][1] == pytest.approx(float(exact[row]), abs=1e-6)
