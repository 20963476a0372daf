"""The results page is written from the executed notebooks: headline outputs and the reports."""

from __future__ import annotations

import nbformat
import pytest
from mkdocs.exceptions import PluginError

from tools.hooks import results


def test_the_page_shows_the_headline_output_and_the_execution_report(tutorials):
    page = results.results_markdown()
    link = "[1. A fake lecture](tutorials/01_fake.ipynb)"
    section = f"## {link}\n\nExecuted on 2026-12-01, in 12 s.\n\n"
    assert section + "```text\nloss 2.10 (Karpathy: 2.12)\n```\n" in page
    assert "3.2x faster" not in page  # only headline cells are collected
    machine = "Test CPU (2 cores), Python 3.11.7"
    assert f"| {link} | 12 s | 2026-12-01 | {machine} | `0123456789ab` |" in page
    # two code cells with one output each: one compared exactly, one exempt
    assert f"| {link} | 1 | 0 | 0 | 1 | cell 3: exempt-timing |" in page
    assert "| `exempt-timing` | | | | not compared: " in page


def test_a_notebook_never_executed_says_so(tutorials):
    path = next(tutorials.glob("*.ipynb"))
    notebook = nbformat.read(path, as_version=4)
    del notebook.metadata["zero_to_hero"]
    nbformat.write(notebook, path)
    page = results.results_markdown()
    assert "Executed on never, in not executed." in page
    assert "| not executed | never | an unrecorded machine | `` |" in page


def test_an_unknown_checking_tag_fails_the_build_naming_the_notebook(tutorials):
    path = next(tutorials.glob("*.ipynb"))
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[3].metadata["tags"] = ["tolerance-made-up"]
    nbformat.write(notebook, path)
    with pytest.raises(PluginError, match=r"01_fake\.ipynb"):
        results.results_markdown()
