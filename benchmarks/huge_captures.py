"""`make bench-paths`: how long `GET /` takes while two huge captures are sent and extracted (issue 20).

Before the intake moved to the worker, two 9 MB pages of 200,000 paragraphs posted at once were
extracted inside two gunicorn requests and `GET /` took 32 s. Here, on the throwaway PostgreSQL: the
demo data, gunicorn (2 sync workers, production settings as in `make bench`) and one `run_worker`
process; the two pages are posted to `/api/v1/sources/<id>/snapshots/` at once while a client asks
for `/` (the page cache cleared before each request, so every one renders) until the worker has
finished both jobs. Prints the POSTs' status and time, `GET /`'s p50, p95 and worst, and the jobs'
outcome. Wall-clock figures live here, never in the test suite.

    scripts/with-postgres .venv/bin/python benchmarks/huge_captures.py
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.test")

import django  # noqa: E402

django.setup()  # the page generator is the tests' own (tests/hardening/generated.py), which imports models

from benchmarks.http_load import Server, log  # noqa: E402
from benchmarks.scale import create_database, run  # noqa: E402
from tests.hardening.generated import huge_html  # noqa: E402

PYTHON = sys.executable
PARAGRAPHS = 200_000


def post_page(port: int, path: str, token: str, page: bytes, name: str) -> tuple[int, float, dict]:
    import http.client

    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="reason"\r\n\r\nHuge page\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/html\r\n\r\n"
        ).encode()
        + page
        + f"\r\n--{boundary}--\r\n".encode()
    )
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(
        "POST",
        path,
        body=body,
        headers={
            "Host": "127.0.0.1",
            "Authorization": f"Token {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    response = conn.getresponse()
    answer = response.read()
    conn.close()
    return response.status, time.perf_counter() - started, json.loads(answer or b"{}")


def job_status(port: int, job: dict, token: str) -> str:
    from benchmarks.http_load import get

    _, _, body = get(port, urlsplit(job["status_url"]).path, {"Authorization": f"Token {token}"})
    return json.loads(body).get("status", "?")


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("benchmarks/huge_captures.py needs PostgreSQL: run it through scripts/with-postgres.")
    secret_key = secrets.token_urlsafe(50)
    url = create_database("bench_huge_captures")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings.test",
        "SECRET_KEY": secret_key,
        "DEBUG": "false",
    }
    log("migrate, setup_demo, a reviewer's token")
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, "manage.py", "setup_demo", "-v0"], env)
    setup = (
        "from claims.models import Source; from knox.models import AuthToken;"
        "from django.contrib.auth import get_user_model;"
        "u = get_user_model().objects.get(username='reviewer');"
        "print(Source.objects.order_by('pk').first().pk, AuthToken.objects.create(user=u)[1])"
    )
    source_id, token = run([PYTHON, "manage.py", "shell", "-c", setup], env, capture=True).split()[-2:]
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "BENCH_STATIC_ROOT": tempfile.mkdtemp(prefix="factcheck-bench-static-"),
    }
    run([PYTHON, "manage.py", "createcachetable"], server_env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], server_env)
    page = huge_html(PARAGRAPHS)
    server = Server(server_env)
    worker = subprocess.Popen([PYTHON, "manage.py", "run_worker"], env=server_env, cwd=ROOT)
    try:
        measure(server.port, source_id, token, page, server_env)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.stop()


def measure(port: int, source_id: str, token: str, page: bytes, env: dict) -> None:
    from benchmarks.http_load import get

    path = f"/api/v1/sources/{source_id}/snapshots/"
    posts: list[tuple[int, float, dict]] = []
    threads = [
        threading.Thread(target=lambda n=n: posts.append(post_page(port, path, token, page, f"huge-{n}.html")))
        for n in (1, 2)
    ]
    log(f"two pages of {len(page) / 1e6:.1f} MB ({PARAGRAPHS:,} paragraphs) posted at once; GET / meanwhile")
    for thread in threads:
        thread.start()
    home: list[float] = []
    deadline = time.monotonic() + 300
    jobs_done = False
    while time.monotonic() < deadline and not jobs_done:
        started = time.perf_counter()
        # A query string of its own: rendered, never read from the page cache.
        status, _, _ = get(port, f"/?n={len(home)}")
        home.append(time.perf_counter() - started)
        assert status == 200, status
        if len(posts) == 2 and len(home) % 10 == 0:
            jobs_done = all(job_status(port, job, token) in {"done", "failed"} for _, _, job in posts)
    for thread in threads:
        thread.join()
    home.sort()
    print(f"POST (two at once): {[(status, round(seconds, 2)) for status, seconds, _ in posts]} (status, s)")
    print(
        f"GET / while they ran: {len(home)} requests, p50 {statistics.median(home) * 1000:.0f} ms, "
        f"p95 {home[int(len(home) * 0.95)] * 1000:.0f} ms, worst {home[-1] * 1000:.0f} ms (before the worker: 32 s)"
    )
    print(f"jobs: {[job_status(port, job, token) for _, _, job in posts]} (the worker refuses both: too many elements)")


if __name__ == "__main__":
    main()
