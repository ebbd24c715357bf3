"""Composite Beam PTransforms, one pipeline stage per module, in data-flow order:
read, clean, language, dedup, entities, topics, status, write."""
