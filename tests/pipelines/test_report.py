"""`newsbeam report`: one offline page with every chart drawn."""

import re

from pipelines.cli import main


def test_the_seeds_report_is_one_offline_page_with_every_chart(seed_run, capsys):
    assert main(["report", "--output", str(seed_run)]) == 0
    page = (seed_run / "report.html").read_text(encoding="utf-8")
    assert "report written to" in capsys.readouterr().err
    headings = re.findall(r"<h2>([^<]*)</h2>", page)
    assert headings == ["Event status timelines (summit)", "Coverage by day", "Who and where", "Topics by day",
                        "Largest stories", "Languages", "What was rejected"]
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) >= 6 and all("<path" in chart or "<rect" in chart for chart in charts)
    assert "summit Budapest: latest cancelled" in page  # the seeds' event, postponed then cancelled
    assert "<script" not in page and "http://" not in page.split("<body>")[0]  # nothing to fetch
    assert "Donald Trump" in page and "photo.txt" not in page.split("What was rejected")[0]
    assert len(page) < 5_000_000


def test_report_of_a_folder_without_output_says_what_to_do(tmp_path, capsys):
    assert main(["report", "--output", str(tmp_path)]) == 2
    assert "run `newsbeam run --output DIR` first" in capsys.readouterr().err
