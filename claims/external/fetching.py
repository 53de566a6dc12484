"""Fetching a ClaimReview document by URL, through the address guard at every redirect hop."""

from urllib.parse import urljoin

import requests

from ..net import check_public_url

FETCH_TIMEOUT_SECONDS = 10
FETCH_MAX_BYTES = 10 * 1024 * 1024
FETCH_MAX_REDIRECTS = 5
TOO_MANY_REDIRECTS = "More than {count} redirects."
TOO_LARGE = "The document is larger than {mb} MB."
HTTP_ERROR = "The server answered HTTP {status}."
NETWORK_ERROR = "Could not fetch it: {error}"


class FetchError(ValueError):
    pass


def fetch_document(url: str) -> tuple[bytes, str]:
    """(body, final URL). Raises `UnsafeURL` (a ValidationError) or `FetchError` with a clear message."""
    for _hop in range(FETCH_MAX_REDIRECTS + 1):
        check_public_url(url)
        try:
            response = requests.get(
                url,
                timeout=FETCH_TIMEOUT_SECONDS,
                allow_redirects=False,
                stream=True,
                headers={"accept": "text/html, application/ld+json, application/json;q=0.9, */*;q=0.5"},
            )
        except requests.RequestException as exc:
            raise FetchError(NETWORK_ERROR.format(error=exc)) from exc
        with response:
            if response.is_redirect:
                url = urljoin(url, response.headers["location"])
                continue
            if response.status_code != 200:
                raise FetchError(HTTP_ERROR.format(status=response.status_code))
            body = response.raw.read(FETCH_MAX_BYTES + 1, decode_content=True)
            if len(body) > FETCH_MAX_BYTES:
                raise FetchError(TOO_LARGE.format(mb=FETCH_MAX_BYTES // (1024 * 1024)))
            return body, url
    raise FetchError(TOO_MANY_REDIRECTS.format(count=FETCH_MAX_REDIRECTS))
