"""newsbeam's Beam stages, in data-flow order: sources, read, clean, language, dedup and stories,
entities, topics, statuses, write.

Beam is imported here first, with the warnings it logs at import about optional cloud clients
(apitools, BigQuery) silenced: they are not about the user's run."""

import logging


def _import_beam_quietly() -> None:
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        import apache_beam  # noqa: F401
    finally:
        root.setLevel(level)


_import_beam_quietly()
