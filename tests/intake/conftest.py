"""A local HTTP server (127.0.0.1, random port) serving what the capture tests need, and a PDF
built here so no test file is checked in."""

import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Iskander-M mystery looms over Russia-Azerbaijan relations | Example Review</title>
<meta name="author" content="Vasif Huseynov">
<meta property="og:site_name" content="Example Review">
<meta property="article:published_time" content="2021-04-24">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/opinion">Opinion</a></nav>
<article><h1>Iskander-M mystery looms over Russia-Azerbaijan relations</h1>
<p>This was confirmed by Armenian Prime Minister Nikol Pashinyan on February 23. Pashinyan admitted the use
of Iskander but regretted that only ten per cent of the missiles exploded.</p>
<p>His derogatory remarks about Russia’s well-known military product outraged the Armenian army leaders
and Russia’s political and expert community.</p>
</article>
<footer>Copyright and cookie notices that are not the article.</footer>
</body></html>"""


def build_pdf(lines: list[str], *, stream: bytes | None = None) -> bytes:
    """A one-page PDF with `lines` in Helvetica (ASCII only), with a correct cross-reference table
    (or with `stream`, already Flate-compressed, as its page's content)."""
    commands = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        commands.append(f"({escaped}) Tj T*")
    commands.append("ET")
    stream = stream if stream is not None else zlib.compress("\n".join(commands).encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Ministry statement) /Author (Press office) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF_TYPE = "application/pdf"


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        route(self)


def _send(handler, body: bytes, content_type: str, status: int = 200, headers: dict | None = None):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(location: str):
    def route(handler):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def _slow(handler):
    time.sleep(2.5)
    _send(handler, b"<html><body><p>late</p></body></html>", "text/html")


def _big_without_length(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    chunk = b"x" * (1024 * 1024)
    for _ in range(12):
        handler.wfile.write(chunk)  # the client stops reading at its limit: `_QuietServer` lets it go


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # Clients that give up on /slow or /big on purpose are the point of those routes, not an error: a
        # traceback printed from this thread would also race the main thread's AST use on CPython < 3.11.8.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def local_server():
    """Base URL of a server on 127.0.0.1 with: /article.html, /statement.pdf, /plain.txt, /image.png,
    /slow, /big, /big-declared, /to-article (1 redirect), /chain-N (N redirects), /to-private, /to-loopback."""
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_port}"
    routes = {
        "/article.html": lambda h: _send(h, ARTICLE_HTML.encode(), "text/html; charset=utf-8"),
        "/statement.pdf": lambda h: _send(
            h, build_pdf(["No Iskander-M missile was used.", "Signed."]), "application/pdf"
        ),
        "/plain.txt": lambda h: _send(h, b"Plain text: only ten per cent exploded.", "text/plain; charset=utf-8"),
        "/image.png": lambda h: _send(h, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"),
        "/slow": _slow,
        "/big": _big_without_length,
        "/big-declared": lambda h: _send(h, b"x" * 16, "text/plain", headers={}),
        "/to-article": _redirect("/article.html"),
        "/to-private": _redirect("http://10.1.2.3/internal"),
        "/to-metadata": _redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-loopback-v6": _redirect("http://[::1]:1/"),
    }
    for n in range(1, 6):
        routes[f"/chain-{n}"] = _redirect("/article.html" if n == 1 else f"/chain-{n - 1}")

    def declared(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()

    routes["/big-declared"] = declared
    _Handler.routes = routes
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_loopback(settings):
    """The one exception tests make: 127.0.0.1 itself (not 10/8, 169.254/16, ::1 or localhost's other names)."""
    settings.FACTCHECK_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]


from tests.hardening.conftest import run_worker  # noqa: E402, F401  (captures by file or URL run in the worker)
