"""Request context for log records: every line logged while serving a request carries its id."""

import contextvars
import logging
import re

# A client-supplied X-Request-ID is kept only when it is short and made of safe characters
# (it ends up in log lines and response headers); otherwise the server makes its own.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
NO_REQUEST = "-"

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_REQUEST)


class RequestContextFilter(logging.Filter):
    """Adds `request_id` to every record (the JSON and text formatters both print it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True
