"""Deployment: the Dataflow job graph, built offline with --dry_run=True, stages the package and holds
every stage. (Dataflow's service cannot run here; everything up to submitting the job does.)"""

import fnmatch
import pathlib

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.options import Settings
from pipelines.pipeline import build
from tests.conftest import REFERENCE_DATE
from transforms.nlp.model import DEFAULT_MODEL

ROOT = pathlib.Path(__file__).resolve().parents[2]
STAGES = ["Source/Read", "Clean", "Enrich", "DeadLetter", "Write"] + [
    f"Enrich/{stage}" for stage in ("FindDuplicates", "NameArticles", "FindStories", "FindCorpusNames",
                                    "FindingsById", "ReadAgain", "CleanAgain", "DetectLanguage", "Mark",
                                    "Analyse", "VoteLabels")]


@pytest.fixture(scope="module")
def dataflow_job():
    pytest.importorskip("google.auth", reason="Dataflow needs apache-beam[gcp] (make test installs it)")
    options = PipelineOptions([
        "--runner=DataflowRunner", "--project=newsbeam-example", "--region=europe-west1",
        "--temp_location=gs://newsbeam-example/tmp", f"--setup_file={ROOT / 'setup.py'}", "--dry_run=True",
    ])
    pipeline = beam.Pipeline(options=options)
    build(pipeline, Settings(patterns=["gs://newsbeam-example/news/*.txt"], output="gs://newsbeam-example/out",
                             model=DEFAULT_MODEL, reference_date=REFERENCE_DATE))
    return pipeline.run().job


def test_dataflow_job_stages_the_package_built_from_setup_py(dataflow_job):
    staged = [dependency.role_payload for environment in dataflow_job.proto_pipeline.components.environments.values()
              for dependency in environment.dependencies]
    assert any(b"workflow.tar.gz" in payload for payload in staged)


def test_dataflow_job_holds_every_stage(dataflow_job):
    names = {transform.unique_name for transform in dataflow_job.proto_pipeline.components.transforms.values()}
    assert [stage for stage in STAGES if stage not in names] == []


# Side inputs reach every worker whole: each one left must be bounded by the model, the data or the
# names in the news, never by the number of articles (issue 32). What each holds:
BOUNDED_SIDE_INPUTS = {
    "Enrich/FindStories/DocumentFrequency/*",  # a count-min sketch of fixed size (4 x 2^18 counts)
    "Enrich/FindStories/CountArticles/*",  # one number
    "Enrich/FindCorpusNames/*",  # surname -> the run's full name: the distinct repeated names
    "Write/Write_*/CountFiles/*",  # one number per table: how many files a window wrote
}


def test_no_side_input_grows_with_the_articles():
    """Copies, stories and each canonical's copies reach the articles by keyed joins, not as maps."""
    pipeline = beam.Pipeline(runner="FnApiRunner")
    build(pipeline, Settings(patterns=["news/*.txt"], output="out", model=DEFAULT_MODEL,
                             reference_date=REFERENCE_DATE))
    producers = set()

    class Visitor(beam.pipeline.PipelineVisitor):
        def visit_transform(self, node):
            for side in getattr(node.transform, "side_inputs", ()):
                label = side.pvalue.producer.full_label
                producers.add(next((p for p in BOUNDED_SIDE_INPUTS if fnmatch.fnmatch(label, p)), label))

    pipeline.visit(Visitor())
    assert producers == BOUNDED_SIDE_INPUTS
