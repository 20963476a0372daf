"""What the hooks share about the lecture notebooks: where they are, which pages are theirs, and
each notebook's JSON, read once.

Three hooks need the same notebook in one build: the copy for another repository address and the
results page (``on_files``), and the lecture page's figures, math and header (``on_page_content``,
``on_page_context``). :func:`notebook` reads a file the first time it is asked for and returns
the same object after; the entry is stamped with the file's modification time and size, so
``mkdocs serve`` reads a notebook again only when it changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = ROOT / "tutorials"
_read: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def notebook(path: str | Path) -> dict[str, Any]:
    """The notebook at ``path``, parsed; shared by every caller, so read it, never change it."""
    path = Path(path)
    status = path.stat()
    stamp = (status.st_mtime_ns, status.st_size)
    entry = _read.get(path)
    if entry is None or entry[0] != stamp:
        entry = (stamp, json.loads(path.read_text(encoding="utf-8")))
        _read[path] = entry
    return entry[1]


def is_lecture(page: Page) -> bool:
    """Whether ``page`` is a lecture (a notebook under ``tutorials/``)."""
    return page.file.src_uri.startswith("tutorials/") and page.file.src_uri.endswith(".ipynb")


def text(value: str | list[str]) -> str:
    """A cell's source or a stream's text: nbformat stores either as a string or as its lines."""
    return value if isinstance(value, str) else "".join(value)
