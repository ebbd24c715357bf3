"""Entry points: the pipeline's wiring, its options and runners, and the `newsbeam` command line."""

import transforms  # noqa: F401 - imports Beam without its import-time warnings
