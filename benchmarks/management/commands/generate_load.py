"""Fill a development or benchmark database with a desk's years of synthetic claims.

    python manage.py generate_load --claims 100000 --events 1000000 --seed 1

Refuses production settings. See `benchmarks.loadgen` for the shape of the data.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.loadgen import generate_load
from claims.management.guards import refuse_in_production


def positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate N claims (with claimants, sources, evidence, verdicts, history, placeholder vectors from a "
        "fixed pool: see benchmarks/loadgen/vectors.py) and M change events."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=positive, required=True, help="How many claims (N).")
        parser.add_argument("--events", type=positive, default=0, help="How many change-feed events (M).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same shape.")
        parser.add_argument(
            "--tips-per-claim", type=positive, default=0, help="Tips from the public per claim (issue 23; bench: 10)."
        )

    def handle(self, *args: Any, claims: int, events: int, seed: int, **options: Any) -> None:
        refuse_in_production("generate_load")
        if claims == 0 and events:
            raise CommandError("Change events need published claims: give --claims as well.")
        report = generate_load(
            claims=claims, events=events, seed=seed, stdout=self.stdout if options["verbosity"] > 1 else None
        )
        if options["tips_per_claim"]:
            from django.contrib.auth import get_user_model

            from benchmarks.loadgen.tips import generate_tips

            user = get_user_model().objects.filter(is_staff=True).order_by("id").first()
            tips = generate_tips(per_claim=options["tips_per_claim"], user=user, report=report)
            self.stdout.write(f"{tips} tips in {report.seconds['tips']:.1f} s")
        self.stdout.write(self.style.SUCCESS(report.summary()))
