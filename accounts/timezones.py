"""A member's own time zone, used for every date and time we show or read from them."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def member_zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
