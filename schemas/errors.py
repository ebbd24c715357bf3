"""The error a user can fix: a bad option, a missing input, an output that cannot be used.

`newsbeam` prints it as one line and exits 2; any other exception is a bug and keeps its traceback.
"""


class UsageError(Exception):
    """What the user asked for cannot be done as asked; the message says why and what to do."""
