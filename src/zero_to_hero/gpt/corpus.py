"""Lecture 7, exercise 3: a second body of English to pre-train on, from what is installed.

The exercise pre-trains on a large dataset, then fine-tunes on Tiny Shakespeare. The notes run
where nothing can be downloaded but packages (CI has no web access), and the one large body of
English prose every reader already has is the documentation inside the installed libraries.
``docstring_corpus`` collects the paragraphs of the triple-quoted strings (docstrings, nearly
all) in the source files of the named distributions and keeps those written only in a given
alphabet: Shakespeare's characters, for a model with his vocabulary. That drops code examples,
formulas and tables (digits, brackets, underscores) and leaves sentences of technical English.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

TRIPLE_QUOTED = re.compile(r'"""(.*?)"""', re.DOTALL)


def docstring_corpus(
    distributions: Sequence[str], alphabet: Iterable[str], min_chars: int = 40
) -> str:
    """Distinct paragraphs of at least ``min_chars`` characters, whitespace collapsed, one per
    line, from the ``.py`` files of ``distributions`` (in that order, files sorted by path)."""
    allowed = set(alphabet) - {"\n"}
    paragraphs: dict[str, None] = {}  # ordered, without repeats
    for name in distributions:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            raise ValueError(f"distribution {name!r} is not installed") from None
        sources = sorted(str(f) for f in dist.files or () if str(f).endswith(".py"))
        for source in sources:
            text = Path(str(dist.locate_file(source))).read_text(encoding="utf-8", errors="replace")
            for string in TRIPLE_QUOTED.findall(text):
                for paragraph in string.split("\n\n"):
                    paragraph = " ".join(paragraph.split())
                    if len(paragraph) >= min_chars and set(paragraph) <= allowed:
                        paragraphs[paragraph] = None
    if not paragraphs:
        raise ValueError(f"no paragraph of {distributions} is written in the alphabet")
    return "\n".join(paragraphs)
