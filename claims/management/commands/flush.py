"""Django's `flush`, refused under production settings (it empties every table, history included)."""

from typing import Any

from django.core.management.commands import flush

from claims.management.guards import refuse_in_production


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        refuse_in_production("flush")
        return super().handle(**options)
