"""Dates as course files write them: YAML dates, or text like 2027-01-20."""

from __future__ import annotations

import datetime as dt
import re

DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Weekdays as the term's meetings name them, in Python's order (Monday is 0).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def as_date(value) -> dt.date | None:
    """`value` as a date (a datetime keeps its day), or None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def impossible_date(value) -> str | None:
    """Why text shaped like a date (2026-02-30) is not one ("day is out of range for
    month"), or None when it is a date or not shaped like one."""
    if not isinstance(value, str) or not DATE_SHAPE.fullmatch(value.strip()):
        return None
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError as error:
        return str(error)
    return None
