"""A small fake lecture for the hooks' tests: a ``tutorials/`` folder in a temporary directory."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import downloads
from tools.hooks import lectures

NAME = "01_fake"
MACHINE = {"cpu": "Test CPU", "cores": 2, "python": "3.11.7"}


def fake_notebook() -> nbformat.NotebookNode:
    """A lecture with a setup cell, a formula, a headline cell and an exempt cell."""
    setup = new_code_cell(downloads.setup_cell_source(""), metadata={"tags": ["setup"]})
    headline = new_code_cell(
        "print('loss 2.1')",
        metadata={"tags": ["headline"]},
        outputs=[new_output("stream", name="stdout", text="loss 2.10 (Karpathy: 2.12)\n")],
    )
    noise = new_code_cell(
        "print(time)",
        metadata={"tags": ["exempt-timing"]},
        outputs=[new_output("stream", name="stdout", text="3.2x faster\n")],
    )
    notebook = new_notebook(
        cells=[new_markdown_cell("# 1. A fake lecture\n\nWith $x^2$."), setup, headline, noise]
    )
    notebook.metadata["zero_to_hero"] = {
        "execution_seconds": 12.4,
        "executed_on": "2026-12-01",
        "inputs_sha256": "0123456789abcdef0123",
        "machine": MACHINE,
    }
    return notebook


@pytest.fixture
def tutorials(tmp_path, monkeypatch) -> Path:
    """A ``tutorials/`` folder with one executed lecture and its ``.py``, for the real one."""
    folder = tmp_path / "tutorials"
    folder.mkdir()
    nbformat.write(fake_notebook(), folder / f"{NAME}.ipynb")
    (folder / f"{NAME}.py").write_text(downloads.setup_cell_source("") + "\n", encoding="utf-8")
    monkeypatch.setattr(lectures, "TUTORIALS", folder)
    return folder


@pytest.fixture
def lecture_page(tutorials: Path) -> SimpleNamespace:
    """The fake lecture's page as the hooks see it (mkdocs-jupyter gives it a folder URL)."""
    path = tutorials / f"{NAME}.ipynb"
    file = SimpleNamespace(src_uri=f"tutorials/{path.name}", abs_src_path=str(path), name=NAME)
    return SimpleNamespace(file=file, url=f"tutorials/{NAME}/", meta={})


@pytest.fixture
def hand_written_page(tmp_path) -> SimpleNamespace:
    """The landing page, written in Markdown."""
    file = SimpleNamespace(
        src_uri="index.md", abs_src_path=str(tmp_path / "index.md"), name="index.md"
    )
    return SimpleNamespace(file=file, url="", meta={})
