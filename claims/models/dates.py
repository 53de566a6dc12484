"""Dates known only to the day, the month or the year ("in November 2020")."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def validate_partial_date(value: datetime.date | None, precision: str, field: str) -> None:
    """A month-precise date is stored as the 1st of the month, a year-precise one as 1 January.

    Storing one canonical day keeps ordering and range filters meaningful.
    """
    if value is None:
        return
    if precision == DatePrecision.MONTH and value.day != 1:
        raise ValidationError({field: _("A date known only to the month must be stored as the 1st.")})
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        raise ValidationError({field: _("A date known only to the year must be stored as 1 January.")})


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """Human form in the active language: "23 February 2021", "November 2020", "2021"; "" when unknown."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def iso_partial_date(value: datetime.date | None, precision: str) -> str | None:
    """ISO 8601 reduced precision, as schema.org accepts: "2021-02-23", "2020-11", "2021"."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
