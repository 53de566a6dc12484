"""Russian dates as Django writes them ("3 декабря 2026 г."), re-exported so every language has a module."""

from django.conf.locale.ru.formats import *  # noqa: F403
