"""An e-mail backend for the worker-kill test: writes each message to EMAIL_FILE_PATH (Django's file
backend), and after the first one it writes TIPS_TEST_SENT_MARKER and stalls, so the test can kill
the worker between sending and committing."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        marker = Path(os.environ["TIPS_TEST_SENT_MARKER"])
        if not marker.exists():
            marker.write_text("sent one")
            time.sleep(300)  # killed here by the test
        return sent
