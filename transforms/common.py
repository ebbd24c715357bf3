"""What every stage shares: the dead-letter output tag and loading of packaged data files."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

DEAD_LETTER = "dead_letter"


@functools.cache
def load_data(name: str) -> dict:
    """Reads a TOML data file shipped in transforms/data (lexicons, taxonomies, aliases)."""
    with resources.files("transforms").joinpath("data", name).open("rb") as handle:
        return tomllib.load(handle)
