"""Extraction under limits: a document's text is extracted in a forked child process with a CPU
time and address-space limit, after an element count check, so a hostile or huge page or PDF is
refused with a reason instead of tying up (or killing) the worker."""

import multiprocessing
import os
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from django.utils.translation import gettext_noop

from claims.service_messages import StoredMessage

EXTRACT_SECONDS = 30
EXTRACT_EXTRA_MEMORY_BYTES = 768 * 1024 * 1024
HTML_MAX_ELEMENTS = 100_000
PDF_MAX_PAGES = 2_000

TOO_MANY_ELEMENTS = gettext_noop(
    "The page has more than {limit:,} HTML elements: refused. Paste the passage you need instead."
)
TOO_MANY_PAGES = gettext_noop("The PDF has more than {limit:,} pages: refused. Capture the pages you need instead.")
TOOK_TOO_LONG = gettext_noop("Extracting the text took longer than {seconds} seconds: refused.")
TOOK_TOO_MUCH_MEMORY = gettext_noop("Extracting the text needed more memory than allowed: refused.")


def html_elements_beyond(data: bytes, limit: int = HTML_MAX_ELEMENTS) -> bool:
    """A cheap upper bound of the element count: opening angle brackets followed by a letter."""
    count = 0
    for letter in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        count += data.count(b"<" + bytes([letter]))
        if count > limit:
            return True
    return False


def _limit_self(seconds: int, extra_memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (current + extra_memory, current + extra_memory))


def _child(send: Connection, function: Callable[..., Any], args: tuple, seconds: int, extra_memory: int) -> None:
    try:
        _limit_self(seconds, extra_memory)
        send.send(("ok", function(*args)))
    except MemoryError:
        send.send(("memory", None))
    except BaseException as error:  # sent back to the parent, which raises it there
        send.send(("error", error))
    finally:
        send.close()


class ExtractionRefused(Exception):
    """The extraction ran past a limit; the message says which."""


Result = TypeVar("Result")


def run_bounded(
    function: Callable[..., Result],
    *args: object,
    seconds: int = EXTRACT_SECONDS,
    extra_memory: int = EXTRACT_EXTRA_MEMORY_BYTES,
) -> Result:
    """`function(*args)` in a forked child limited to `seconds` of CPU (and of wall time) and
    `extra_memory` bytes more address space. Its exceptions are raised here; a limit raises
    ExtractionRefused."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, function, args, seconds, extra_memory), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds + 2):
            raise ExtractionRefused(StoredMessage(TOOK_TOO_LONG, seconds=seconds))
        outcome, value = receive.recv()
    except EOFError:  # killed by the CPU limit (SIGXCPU) or the kernel
        raise ExtractionRefused(StoredMessage(TOOK_TOO_LONG, seconds=seconds)) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(1)
        receive.close()
    if outcome == "memory":
        raise ExtractionRefused(StoredMessage(TOOK_TOO_MUCH_MEMORY))
    if outcome == "error":
        raise value
    return value
