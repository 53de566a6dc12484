"""One entry point for the command and the admin: import from a file path, uploaded bytes or a URL."""

from pathlib import Path

from claims.external.fetching import FetchRefused, fetch_document
from claims.external.importing import DOCUMENT_FAILED, ImportSummary, external_reviews_import_document
from claims.service_messages import StoredMessage, error_messages
from claims.types import User


def external_reviews_import_url(url: str, *, user: User | None) -> ImportSummary:
    try:
        data, final_url = fetch_document(url)
    except FetchRefused as exc:
        return ImportSummary(
            failed=1, errors=[StoredMessage(DOCUMENT_FAILED, source=url, error=error_messages(exc)[0])]
        )
    return external_reviews_import_document(data, source=url, user=user, base_url=final_url)


def external_reviews_import_path(path: str, *, user: User | None) -> ImportSummary:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return ImportSummary(failed=1, errors=[f"{path}: cannot read it ({exc.strerror or exc})."])
    return external_reviews_import_document(data, source=str(path), user=user)


def external_reviews_import(location: str, *, user: User | None) -> ImportSummary:
    if location.lower().startswith(("http://", "https://")):
        return external_reviews_import_url(location, user=user)
    return external_reviews_import_path(location, user=user)
