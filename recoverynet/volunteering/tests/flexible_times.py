"""Times for the flexible-shift tests: a fixed "now" (Friday 27 November 2026, noon in
London) and the December days the windows fall on."""

import datetime
import zoneinfo

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=LONDON)


def at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=LONDON)
