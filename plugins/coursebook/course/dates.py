"""Dates as course files write them: YAML dates, or text like 2027-01-20."""

from __future__ import annotations

import datetime as dt


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
