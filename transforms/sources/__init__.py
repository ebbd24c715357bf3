"""Sources: what starts a pipeline and emits Documents (files, feed snapshots, URL lists, polled feeds)."""
