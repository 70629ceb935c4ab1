"""The late policy: a window after the deadline in which work still counts, less a penalty
per day started (`--late-until DATE --late-penalty PERCENT`).

A learner's late version is graded only when it is another commit than the on-time one, and
it counts only when its points after the penalty are more than the on-time points.
"""

import math
from dataclasses import dataclass

DAY = 86400.0


@dataclass
class Policy:
    """The class's late window (`until` None: no late work counts)."""

    until: float | None = None  # epoch seconds
    percent_per_day: float = 0.0


def days_late(when: float, deadline: float) -> int:
    """Days started after the deadline (0 when on time)."""
    return max(0, math.ceil((when - deadline) / DAY))


def penalty_percent(when: float, deadline: float, policy: Policy) -> float:
    """The percent of its points a version submitted at `when` loses (at most 100)."""
    return min(100.0, days_late(when, deadline) * policy.percent_per_day)


def after_penalty(points: float, percent: float) -> float:
    """Points less `percent` of them, to two decimals (a whole number stays one)."""
    return tidy(round(points * (100.0 - percent) / 100.0, 2))


def tidy(number: float):
    """A whole number as an int (90, not 90.0), any other as it is."""
    return int(number) if number == int(number) else number


def late_window(deadline: float, policy: Policy) -> float | None:
    """The end of this learner's late window, or None when they have none (no policy, or
    their own deadline is past the class's late window)."""
    return policy.until if policy.until is not None and policy.until > deadline else None
