"""gunicorn settings for `make serve`, from the environment (read by gunicorn from the working directory).

PORT (8000), HOST (127.0.0.1: put a reverse proxy in front), WEB_CONCURRENCY (2 workers per core).
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2)
wsgi_app = "factcheck.wsgi:application"
# The app logs one JSON line per request itself (factcheck.middleware.RequestLogMiddleware).
accesslog = None
errorlog = "-"
# A slow request is killed and logged rather than holding a worker forever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Restart workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
