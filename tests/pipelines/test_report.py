"""`newsbeam report`: one offline page with every chart drawn."""

import re

from pipelines.cli import main


def test_the_seeds_report_is_one_offline_page_with_every_chart(seed_run, capsys):
    assert main(["report", "--output", str(seed_run)]) == 0
    page = (seed_run / "report.html").read_text(encoding="utf-8")
    assert "report written to" in capsys.readouterr().err
    headings = re.findall(r"<h2>([^<]*)</h2>", page)
    assert headings == ["Event status timelines (summit)", "Events (summit)", "Coverage by day", "Who and where",
                        "Topics by day", "Largest stories", "Languages", "What was rejected"]
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) >= 6 and all("<path" in chart or "<rect" in chart for chart in charts)
    # the seeds' one summit, postponed then cancelled, titled by its places and who meets
    title = re.search(r"summit Budapest, Hungary with ([^:<]*): latest cancelled", page)
    assert title and {"Trump", "Putin"} <= set(title.group(1).split(", "))
    assert "<script" not in page and "http://" not in page.split("<body>")[0]  # nothing to fetch
    assert "Donald Trump" in page and "photo.txt" not in page.split("What was rejected")[0]
    # the events list: the Budapest summit once, its days and its latest status
    events = page.split("<h2>Events (summit)</h2>")[1].split("</section>")[0]
    assert events.count("<td>Budapest</td>") == 1
    assert "<td>Budapest</td><td>2025-10-21</td><td>2025-10-31</td><td>2</td><td>4</td>" in events
    assert len(page) < 5_000_000


def test_report_of_a_folder_without_output_says_what_to_do(tmp_path, capsys):
    assert main(["report", "--output", str(tmp_path)]) == 2
    assert "run `newsbeam run --output DIR` first" in capsys.readouterr().err


def test_the_report_renders_in_headless_chromium(seed_run, tmp_path):
    """Real Chromium (Debian's package; `.ci/run` installs it) draws every chart, with nothing in its console."""
    import os
    import shutil
    import subprocess

    import pytest

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("NEWSBEAM_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here (NEWSBEAM_REQUIRE_BROWSER=1): apt-get install chromium")
        pytest.skip("no Chromium here (apt-get install chromium)")
    assert main(["report", "--output", str(seed_run), "--to", str(tmp_path / "report.html")]) == 0
    page = (tmp_path / "report.html").as_uri()
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([*common, "--dump-dom", page], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0
    drawn = re.findall(r"<svg.*?</svg>", dom.stdout, re.S)
    assert len(drawn) >= 6 and all(re.search(r"<(path|rect)\b", chart) for chart in drawn)
    assert "CONSOLE" not in dom.stderr  # no script, so nothing may log: any console line is an error
    shot = tmp_path / "report.png"
    subprocess.run([*common, "--window-size=900,2400", f"--screenshot={shot}", page], capture_output=True,
                   timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_chart_draws_a_named_query_by_day(seed_run, tmp_path, capsys):
    assert main(["chart", "summit-status-daily", "--output", str(seed_run), "--to", str(tmp_path / "s.svg")]) == 0
    drawn = (tmp_path / "s.svg").read_text(encoding="utf-8")
    assert drawn.startswith("<svg") and "postponed" in drawn and "cancelled" in drawn
    assert main(["chart", "topics-daily", "--output", str(seed_run), "--to", str(tmp_path / "t.png")]) == 0
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    capsys.readouterr()
    assert main(["chart", "top-entities", "--output", str(seed_run), "--to", str(tmp_path / "x.svg")]) == 2
    assert "has no day column" in capsys.readouterr().err
