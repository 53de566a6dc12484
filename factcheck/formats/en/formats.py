"""English dates as the site has always written them: "3 December 2026" (docs/i18n.md)."""

DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
