"""Sinks: the tables written as Parquet."""
