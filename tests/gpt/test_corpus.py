"""Exercise 3's pre-training corpus: prose paragraphs of installed libraries' docstrings."""

from __future__ import annotations

import pytest

from zero_to_hero.gpt.corpus import docstring_corpus

ALPHABET = "\n !',-.:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

MODULE = '''"""A module that adds numbers, written for the tests of the corpus.

Example: add(1, 2) returns 3, which has digits and brackets in it.
"""


def add(a, b):
    """Add two numbers and return their sum, as one would expect.

    Shorter than forty.

    A module that adds numbers, written for the tests of the corpus.
    """
    return a + b
'''


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A distribution 'fake-docs' with one module, importable metadata and all."""
    (tmp_path / "fake_docs").mkdir()
    (tmp_path / "fake_docs" / "__init__.py").write_text(MODULE)
    info = tmp_path / "fake_docs-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-docs\nVersion: 1.0\n")
    (info / "RECORD").write_text("fake_docs/__init__.py,,\nfake_docs-1.0.dist-info/METADATA,,\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "fake-docs"


def test_keeps_distinct_prose_paragraphs_in_the_alphabet(installed):
    assert docstring_corpus([installed], ALPHABET).splitlines() == [
        "A module that adds numbers, written for the tests of the corpus.",
        "Add two numbers and return their sum, as one would expect.",
    ]


def test_unknown_distributions_and_empty_results_are_errors(installed):
    with pytest.raises(ValueError, match="'no-such-thing' is not installed"):
        docstring_corpus(["no-such-thing"], ALPHABET)
    with pytest.raises(ValueError, match="no paragraph"):
        docstring_corpus([installed], "abc ")


def test_real_libraries_give_megabytes_of_sentences():
    corpus = docstring_corpus(["networkx"], ALPHABET)
    assert len(corpus) > 100_000
    assert set(corpus) <= set(ALPHABET)
    assert all(len(line) >= 40 for line in corpus.splitlines())
