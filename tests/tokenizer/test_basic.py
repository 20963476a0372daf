"""BasicTokenizer: byte-level BPE with no split pattern."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zero_to_hero.tokenizer import BasicTokenizer

SAMPLE = "hello world!!!? (안녕하세요!) lol123 😉 " * 3


@pytest.fixture(scope="module")
def trained():
    tok = BasicTokenizer()
    tok.train(SAMPLE, 256 + 40)
    return tok


def test_wikipedia_example():
    tok = BasicTokenizer()
    tok.train("aaabdaaabac", 256 + 3)
    assert tok.encode("aaabdaaabac") == [258, 100, 258, 97, 99]
    assert tok.decode([258, 100, 258, 97, 99]) == "aaabdaaabac"
    assert tok.vocab[258] == b"aaab"


@given(st.text())
def test_untrained_round_trip_is_utf8(text):
    tok = BasicTokenizer()
    assert tok.encode(text) == list(text.encode("utf-8"))
    assert tok.decode(tok.encode(text)) == text


@given(st.text())
def test_trained_round_trip(trained, text):
    assert trained.decode(trained.encode(text)) == text


def test_training_compresses_and_merges_cross_categories(trained):
    ids = trained.encode(SAMPLE)
    assert len(ids) < len(SAMPLE.encode("utf-8")) / 3
    assert any(b" " in t.strip() for t in trained.vocab.values())  # no regex: " (" and "! " merge


def test_vocab_size_below_256_is_refused():
    with pytest.raises(ValueError, match="at least 256"):
        BasicTokenizer().train("abc", 100)


def test_save_load_round_trip(trained, tmp_path):
    trained.save(tmp_path / "basic")
    assert (tmp_path / "basic.vocab").read_text(encoding="utf-8").count("\n") == len(trained.vocab)
    loaded = BasicTokenizer()
    loaded.load(tmp_path / "basic.model")
    assert loaded.merges == trained.merges and list(loaded.merges) == list(trained.merges)
    assert loaded.vocab == trained.vocab
    assert loaded.encode(SAMPLE) == trained.encode(SAMPLE)
