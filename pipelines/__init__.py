"""Pipeline entry points: the batch pipeline and the `newsbeam` command line."""
