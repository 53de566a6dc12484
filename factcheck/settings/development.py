"""Development: SQLite and DEBUG by default, a throwaway secret key, local hosts only."""

import os

from factcheck.settings.base import *  # noqa: F403
from factcheck.settings.base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret-do-not-deploy"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# `generate_load` (synthetic load for benchmarks and scale tests) lives in the benchmarks app,
# installed outside production only.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]

# `make run` may create a development reviewer login; production never does.
FACTCHECK_ALLOW_DEV_USERS = True

# Readable log lines on a developer's terminal (production logs JSON).
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "text")
