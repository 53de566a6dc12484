"""The SSRF guard: what a user-supplied URL may reach, hop by hop, within time and size limits."""

import socket

import pytest

from claims.intake import net


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://10.1.2.3/", "refused_private"),
        ("http://192.168.0.10/", "refused_private"),
        ("http://127.0.0.1/", "refused_loopback"),
        ("http://localhost/", "refused_loopback"),
        ("http://[::1]/", "refused_loopback"),
        ("http://[::ffff:127.0.0.1]/", "refused_loopback"),
        ("http://169.254.169.254/latest/meta-data/", "refused_link-local"),
        ("http://0.0.0.0/", "refused_unspecified"),
        ("http://240.0.0.1/", "refused_reserved"),
        ("http://100.64.0.1/", "refused_reserved"),
        ("ftp://example.org/file", "bad_scheme"),
        ("file:///etc/passwd", "bad_scheme"),
        ("http:///nohost", "no_host"),
    ],
)
def test_internal_addresses_and_other_schemes_are_refused_before_any_connection(url, code, monkeypatch):
    monkeypatch.setattr(net, "_pool", lambda *a, **k: pytest.fail("must not connect"))
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(url)
    assert info.value.code == code
    assert str(info.value)


def test_a_name_resolving_to_an_internal_address_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 80))]
    )
    with pytest.raises(net.FetchRefused) as info:
        net.check_public_url("http://innocent.example.org/")
    assert str(info.value) == net.REFUSED_ADDRESS.format(
        host="innocent.example.org", address="10.0.0.7", kind="private"
    )


def test_a_name_with_one_public_and_one_internal_address_is_refused(monkeypatch):
    answers = [("93.184.216.34", 80), ("127.0.0.1", 80)]
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", a) for a in answers]
    )
    with pytest.raises(net.FetchRefused):
        net.check_public_url("http://rebinding.example.org/")


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(monkeypatch, allow_loopback, local_server):
    """DNS rebinding: resolved once and checked; the connection uses that address."""
    port = int(local_server.rsplit(":", 1)[1])
    calls = []
    real_getaddrinfo = socket.getaddrinfo

    def resolve_once(host, *args, **kwargs):
        if host != "rebind.test":  # the connect step resolving the IP literal it was given
            return real_getaddrinfo(host, *args, **kwargs)
        calls.append(host)
        if len(calls) > 1:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.9.9", port))]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve_once)
    result = net.fetch_public_url(f"http://rebind.test:{port}/plain.txt")
    assert result.body.startswith(b"Plain text")
    assert calls == ["rebind.test"]


def test_loopback_is_refused_unless_the_setting_allows_it(local_server, settings):
    settings.FACTCHECK_FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(local_server + "/plain.txt")
    assert info.value.code == "refused_loopback"


def test_a_public_page_is_fetched_with_its_type(local_server, allow_loopback):
    result = net.fetch_public_url(local_server + "/article.html")
    assert result.status == 200
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert b"Pashinyan" in result.body


def test_redirects_are_followed_up_to_three(local_server, allow_loopback):
    result = net.fetch_public_url(local_server + "/chain-3")
    assert result.url == local_server + "/article.html"
    assert len(result.redirects) == 3
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(local_server + "/chain-4")
    assert info.value.code == "too_many_redirects"


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/to-private", "refused_private"),
        ("/to-metadata", "refused_link-local"),
        ("/to-loopback-v6", "refused_loopback"),
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(local_server, allow_loopback, path, code):
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(local_server + path)
    assert info.value.code == code


def test_too_big_is_refused_whether_declared_or_streamed(local_server, allow_loopback):
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(local_server + "/big-declared")
    assert info.value.code == "too_large"
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(local_server + "/big")
    assert str(info.value) == net.TOO_LARGE.format(limit=net.DEFAULT_MAX_BYTES)


def test_too_slow_is_refused_at_the_deadline(local_server, allow_loopback):
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(local_server + "/slow", timeout=1)
    assert info.value.code == "too_slow"


def test_a_type_not_asked_for_is_refused(local_server, allow_loopback):
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(local_server + "/image.png", allowed_types=frozenset({"text/html"}))
    assert info.value.code == "wrong_type"
    assert "image/png" in str(info.value)


def test_an_http_error_is_reported(local_server, allow_loopback):
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(local_server + "/missing")
    assert str(info.value) == net.HTTP_ERROR.format(status=404)


def test_the_connected_peer_is_checked_again_after_connecting(local_server, settings, monkeypatch):
    """Even if a check were fooled, a socket connected to an internal address is refused."""
    settings.FACTCHECK_FETCH_ALLOWED_NETWORKS = []
    port = int(local_server.rsplit(":", 1)[1])
    fooled = net.CheckedURL(
        url=f"http://fooled.test:{port}/plain.txt",
        scheme="http",
        host="fooled.test",
        port=port,
        addresses=("127.0.0.1",),
    )
    monkeypatch.setattr(net, "check_public_url", lambda url: fooled)
    with pytest.raises(net.FetchRefused) as info:
        net.fetch_public_url(fooled.url)
    assert info.value.code == "refused_loopback"
