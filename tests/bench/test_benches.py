"""Every bench module runs at a tiny size and prints its figure lines (issue 32: a bench that cannot rot).

The figures are not asserted, only that each bench gets to them: an API change that breaks a bench
fails here. No public corpus is read: a corpora folder is made in tmp with the few files each bench
opens (BBC-style text files from the seeds, small web-page archives), and the dedup and pipeline
benches build their corpus from the seeds, as they do without a corpora path.

Each bench runs as `make bench` runs it, `python -m bench.NAME`, in a child process. The benches are
mostly child processes starting Python, Beam and spaCy one after another, so they are started two
at a time (one per core of a 2-core machine) when the module starts, each test waiting for its own.
"""

from __future__ import annotations

import concurrent.futures
import io
import lzma
import pathlib
import shutil
import subprocess
import sys
import tarfile

import pytest

from tests.conftest import SEED_FILES

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEADLINE = 900  # seconds for one bench: only a hang takes this long

# One page of German news text (~1,000 characters after extraction), for the languages bench.
GERMAN = (
    "Die Bundesregierung hat am Dienstag in Berlin einen neuen Haushaltsentwurf vorgestellt, der deutlich "
    "höhere Ausgaben für Bildung und Forschung vorsieht. Der Finanzminister sagte vor Journalisten, die "
    "Schuldenbremse werde trotz der zusätzlichen Mittel eingehalten, weil die Steuereinnahmen im vergangenen "
    "Jahr stärker gestiegen seien als erwartet.\n"
    "Die Opposition kritisierte den Entwurf scharf. Ihr haushaltspolitischer Sprecher erklärte, die "
    "Regierung verschiebe die eigentlichen Probleme nur in die Zukunft und lasse die Kommunen mit den "
    "steigenden Kosten für Schulen und Kindergärten allein.\n"
    "Auch die Länder meldeten Bedenken an. Mehrere Ministerpräsidenten forderten, dass der Bund einen "
    "größeren Teil der Kosten für den Ausbau der Ganztagsschulen übernehmen müsse. Die Verhandlungen "
    "zwischen Bund und Ländern sollen in der kommenden Woche fortgesetzt werden.\n"
    "Wirtschaftsverbände begrüßten dagegen die geplanten Investitionen in die digitale Infrastruktur. Der "
    "Bundestag wird sich im Herbst in erster Lesung mit dem Haushalt befassen."
)


def page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>").encode()


def tar_xz(path: pathlib.Path, members: dict[str, bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(path, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def fake_corpora(root: pathlib.Path) -> pathlib.Path:
    """The files the benches open under CORPORA, a few of each: bbc/TOPIC/N.txt (the seeds), and the
    page archives of zyte-extraction, trafilatura-eval and htmldate-eval."""
    for n, seed in enumerate(SEED_FILES[:3]):
        topic = root / "bbc" / ("politics", "world")[n % 2]
        topic.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, topic / f"{n:03d}.txt")
    seeds = [[line for line in seed.read_text(encoding="utf-8").split("\n") if line.strip()] for seed in SEED_FILES]
    tar_xz(root / "zyte-extraction" / "pages.tar.xz",
           {f"{n}.html": page(lines[0][:60], lines) for n, lines in enumerate(seeds)})
    tar_xz(root / "trafilatura-eval" / "pages.tar.xz", {"de.html": page("Haushalt", GERMAN.split("\n"))})
    tar_xz(root / "htmldate-eval" / "pages.tar.xz", {"en.html": page(seeds[0][0][:60], seeds[0])})
    items = "".join(f"<item><title>{lines[0][:60]}</title><link>https://example.org/{n}</link>"
                    f"<description>{' '.join(lines[1:3])}</description></item>" for n, lines in enumerate(seeds))
    (root / "feeds-real").mkdir()
    (root / "feeds-real" / "news.rss").write_text(f"<rss><channel><title>News</title>{items}</channel></rss>",
                                                  encoding="utf-8")
    return root


# bench module -> its arguments ({corpora}: the fake corpora folder), the longest first
BENCHES = {
    "scale_bench": ["{corpora}", "--workers", "2"],
    "languages_bench": ["{corpora}", "--english", "2", "--per-language", "1", "--languages", "de"],
    "pipeline_bench": ["--sizes", "12", "--copies", "0", "0.3", "--ner-sample", "6"],
    "pages_bench": ["{corpora}", "--hosts", "2", "--pages", "2", "--delay", "0.1"],
    "html_bench": ["{corpora}", "--pages", "2"],
    "stream_soak": ["--minutes", "0.1", "--poll", "1", "--sample", "2"],
    "dedup_bench": ["--sizes", "20", "60"],
    "backends_bench": ["{corpora}"],
}


@pytest.fixture(scope="module")
def bench_runs(request, tmp_path_factory):
    """The benches of the tests selected (each test's name holds its bench's), started two at a time;
    bench name -> a future of its finished process."""
    corpora = fake_corpora(tmp_path_factory.mktemp("corpora"))
    selected = [name for name in BENCHES if any(name in item.name for item in request.session.items)]

    def run(name: str) -> subprocess.CompletedProcess:
        args = [a.format(corpora=corpora) for a in BENCHES[name]]
        return subprocess.run([sys.executable, "-m", f"bench.{name}", *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=DEADLINE)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        yield {name: pool.submit(run, name) for name in selected}


def printed(bench_runs, name: str) -> str:
    """The bench's standard output, once it finished without an error."""
    done = bench_runs[name].result()
    assert done.returncode == 0, f"bench.{name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    return done.stdout


def test_scale_bench_prints_docs_per_s_rows_and_speed_ups_of_every_runner(bench_runs):
    out = printed(bench_runs, "scale_bench")
    for label in ("in-process, 1 worker", "multi-process runner, 2 workers", "Dask, 1 worker", "Dask, 2 workers"):
        assert label in out
    assert out.count("identical") + out.count("DIFFER") == 3, out  # each run's rows against the in-process run's
    assert out.count("; longest stage ") == 2, out  # where each Dask run's work ran
    assert "speed-up of 2 workers over 1: multi-process runner" in out and "Dask" in out


def test_languages_bench_prints_docs_per_s_and_rss_of_each_mix(bench_runs):
    out = printed(bench_runs, "languages_bench")
    for label in ("en ", "en + en", "en + de"):
        assert f"\n{label}" in out, out
    assert "MB" in out


def test_pipeline_bench_prints_the_ner_ratio_docs_per_s_and_rss_at_0_and_30_percent_copies(bench_runs):
    out = printed(bench_runs, "pipeline_bench")
    assert "12 documents, 0% syndicated copies" in out and "12 documents, 30% syndicated copies" in out, out
    assert out.count("ratio pipeline/ner-alone") == 2 and out.count("peak RSS per worker") == 2, out


def test_pages_bench_prints_fetch_rate_and_pipeline_cost_with_pages_on_and_off(bench_runs):
    out = printed(bench_runs, "pages_bench")
    assert "pages/s" in out and "feed text only" in out and "with pages" in out, out


def test_html_bench_prints_the_cost_of_web_pages_against_text(bench_runs):
    out = printed(bench_runs, "html_bench")
    assert "ms/article" in out and "ratio html/text" in out, out


def test_stream_soak_prints_rss_and_the_articles_written(bench_runs):
    out = printed(bench_runs, "stream_soak")
    assert "peak RSS" in out and "articles written" in out, out


def test_dedup_bench_prints_docs_per_s_and_peak_rss_per_worker_of_each_size(bench_runs):
    out = printed(bench_runs, "dedup_bench")
    assert "peak RSS MB per worker" in out, out
    sizes = [line.split()[0] for line in out.splitlines()[2:]]
    assert sizes == ["20", "60"], out


def test_backends_bench_prints_each_process_peak_and_the_whole_run(bench_runs):
    out = printed(bench_runs, "backends_bench")
    assert "peak RSS per process: python" in out and "whole run:" in out and "articles by language: en" in out, out
