"""Flex Template entry point: the template passes --input/--output as flags; this is `newsbeam run`."""

import sys

from pipelines.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", *sys.argv[1:]]))
