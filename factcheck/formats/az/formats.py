"""Azerbaijani dates as Django writes them ("3 dekabr 2026"), re-exported so every language has a module."""

from django.conf.locale.az.formats import *  # noqa: F403
