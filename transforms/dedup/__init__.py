"""Dedup: near-identical copies found and marked, in a run and across a stream's windows."""
