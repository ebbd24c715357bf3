"""The five seed articles, packaged as the default input of `newsbeam run`."""

from importlib import resources


def seeds_dir() -> str:
    return str(resources.files(__name__))
