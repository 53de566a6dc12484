"""Armenian dates (Django ships no Armenian formats): "3 դեկտեմբերի 2026 թ."."""

DATE_FORMAT = "j E Y թ."
YEAR_MONTH_FORMAT = "F Y թ."
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
