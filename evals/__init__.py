"""Evaluations on public corpora (`make eval`): they take the corpora folder as an argument."""
