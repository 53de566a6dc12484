"""Fixtures of the external-review tests."""

from tests.hardening.conftest import run_worker  # noqa: F401  (admin imports run in the worker)
