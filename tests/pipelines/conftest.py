"""Fixtures shared by the pipeline tests: the seeds served as one feed, and one run over that feed."""

from __future__ import annotations

import dataclasses
import pathlib

import pytest

from evals.feedserver import FeedServer


@dataclasses.dataclass
class SeedFeedRun:
    server: FeedServer
    url: str
    output: pathlib.Path  # `newsbeam run --feeds URL`'s output, the rows a stream of the same feed must give

    def polls(self) -> int:
        return sum(path == "/seeds.rss" for path, _ in self.server.requests)


@pytest.fixture(scope="session")
def seed_feed_run(tmp_path_factory) -> SeedFeedRun:
    """One run over the seed feed, for every stream test that compares its rows with a run's (the
    in-process runner and Prism); the server stays up for their streams. Read it, never write it."""
    from pipelines.cli import main
    from tests.pipelines.test_streaming import seed_feed

    with FeedServer() as server:
        url = server.serve("/seeds.rss", seed_feed())
        output = tmp_path_factory.mktemp("seed-feed-run")
        assert main(["run", "--feeds", url, "--no-follow-links", "--output", str(output)]) == 0
        yield SeedFeedRun(server, url, output)
