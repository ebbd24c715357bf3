"""Deployment: the Dataflow job graph, built offline with --dry_run=True, stages the package and holds
every stage. (Dataflow's service cannot run here; everything up to submitting the job does.)"""

import pathlib

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.options import Settings
from pipelines.pipeline import build
from tests.conftest import REFERENCE_DATE
from transforms.nlp.model import DEFAULT_MODEL

ROOT = pathlib.Path(__file__).resolve().parents[2]
STAGES = ["Source/ReadForDedup", "CleanForDedup", "Source/Read", "Clean", "Enrich", "DeadLetter", "Write"] + [
    f"Enrich/{stage}" for stage in ("FindDuplicates", "NameArticles", "FindStories", "FindCorpusNames",
                                    "DetectLanguage", "MarkDuplicates", "SetStories", "Analyse", "VoteLabels")]


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
