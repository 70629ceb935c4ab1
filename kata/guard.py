"""A time limit on each call of a learner's function, so an endless loop ends with its name.

Uses SIGALRM, so it works in the main thread on Linux and macOS; elsewhere calls run
unguarded.
"""

import functools
import signal
from types import ModuleType

from kata.diagnoses import NOT_RETURNING

SECONDS_PER_CALL = 5.0


class NotReturning(BaseException):
    """A learner's function ran past its time limit.

    A BaseException, so that hypothesis stops at once instead of trying more examples.
    """


def _limited(function, name: str, seconds: float, hung: set):
    message = f"{name} {NOT_RETURNING} (still running after {seconds:g} s)"

    def on_alarm(signum, frame):
        hung.add(name)
        raise NotReturning(message)

    @functools.wraps(function)
    def call(*args, **kwargs):
        if name in hung:
            raise NotReturning(message)
        if signal.getitimer(signal.ITIMER_REAL)[0] > 0:  # an outer call is already timed
            return function(*args, **kwargs)
        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return function(*args, **kwargs)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    return call


def guard(module: ModuleType, names, seconds: float = SECONDS_PER_CALL) -> set:
    """Give each named function of the module a time limit per call, in place.

    Returns the set that collects the names of functions that ran out of time.
    """
    hung = set()
    if hasattr(signal, "setitimer"):
        for name in names:
            setattr(module, name, _limited(getattr(module, name), name, seconds, hung))
    return hung
