"""The hooks read each lecture notebook once, however many of them use it."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools.hooks import lectures, mathjax_assets, pages, results


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Every notebook file read from disk during the test."""
    read: list[Path] = []
    read_text = Path.read_text

    def counted(self: Path, *args, **kwargs) -> str:
        if self.suffix == ".ipynb":
            read.append(self)
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    return read


def test_a_notebook_is_read_once_and_again_only_when_it_changes(tutorials, reads):
    path = next(tutorials.glob("*.ipynb"))
    first = lectures.notebook(path)
    assert lectures.notebook(str(path)) is first and reads == [path]
    changed = {**first, "metadata": {"zero_to_hero": {"executed_on": "2026-12-02"}}}
    path.write_text(json.dumps(changed), encoding="utf-8")
    assert lectures.notebook(path)["metadata"]["zero_to_hero"]["executed_on"] == "2026-12-02"
    assert reads == [path, path]


def test_a_build_reads_the_lecture_once(tutorials, lecture_page, reads):
    """The results page, the page's figures and math, and its header share one read."""
    results.results_markdown()
    config = SimpleNamespace(extra={"lectures": {}})
    for hook in (pages, mathjax_assets):
        hook.on_page_content("<p>page</p>", page=lecture_page, config=config, files=None)
    pages.on_page_context({}, page=lecture_page, config=config, nav=None)
    assert reads == [next(tutorials.glob("*.ipynb"))]
    assert lecture_page.meta["execution"]["executed_on"] == "2026-12-01"


def test_only_notebooks_under_tutorials_are_lectures(lecture_page, hand_written_page):
    assert lectures.is_lecture(lecture_page)
    assert not lectures.is_lecture(hand_written_page)
    elsewhere = SimpleNamespace(file=SimpleNamespace(src_uri="generated/demo.ipynb"))
    assert not lectures.is_lecture(elsewhere)


def test_text_joins_the_lines_nbformat_may_store():
    assert lectures.text(["a\n", "b"]) == lectures.text("a\nb") == "a\nb"
