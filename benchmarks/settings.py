"""`make bench`: production settings as served, plus the benchmark's own URLconf (a trivial view,
the framework's ceiling) and a header carrying each request's query count and slowest statement."""

import os

from factcheck.settings.production import *  # noqa: F403
from factcheck.settings.production import MIDDLEWARE

ROOT_URLCONF = "benchmarks.urls"
MIDDLEWARE = ["benchmarks.middleware.count_queries", *MIDDLEWARE]
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
