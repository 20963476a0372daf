"""The command's errors and their exit statuses: every failure a user can cause is one of these.

``main`` prints the message as one line on standard error and exits with the error's status, so
scripts can tell a bad flag from bad data, a diverged run or a busy output directory without
parsing text. ``docs/cli.md`` lists the same statuses (a test keeps the two in step).
"""

from __future__ import annotations

OK = 0
INTERRUPTED = {"SIGINT": 130, "SIGTERM": 143}  # 128 + the signal's number, as shells report it
INTERNAL = 70  # a bug: the message asks for --debug and a report


class CLIError(Exception):
    """A failure the user can fix; ``status`` is the exit status."""

    status = 1


class InputError(CLIError):
    """The word list or a checkpoint is missing, unreadable, damaged or unsuitable."""

    status = 1


class UsageError(CLIError):
    """A flag's value is invalid, impossible here, or contradicts the run being resumed."""

    status = 2


class Diverged(CLIError):
    """The training loss became nan or infinite; the last good checkpoint is kept."""

    status = 3


class OutputInUse(CLIError):
    """``--out`` is locked by a running job, or holds another run and ``--force`` was not given."""

    status = 4


class OutOfMemory(CLIError):
    """A training step ran out of memory."""

    status = 5


class Interrupted(CLIError):
    """Ctrl-C or SIGTERM: the run saved ``last.pt`` (if it had started) and stopped."""

    def __init__(self, message: str, signal_name: str) -> None:
        super().__init__(message)
        self.status = INTERRUPTED[signal_name]
