"""Reading, splitting and encoding word lists: strict, leak-free and fast."""

from __future__ import annotations

import pytest

from zero_to_hero.cli.errors import InputError, UsageError
from zero_to_hero.cli.words import encode_words, hold_out_words, max_length, read_words, vocabulary
from zero_to_hero.makemore.dataset import Vocabulary


def test_no_validation_word_is_also_a_training_word(names):
    train, val = hold_out_words(names, seed=3407)
    assert len(set(val)) == 1000 and len(train) + len(val) == len(names)
    assert not set(train) & set(val)


def test_every_copy_of_a_word_goes_to_the_same_side(words):
    tenfold = [w for w in words for _ in range(10)]
    train, val = hold_out_words(tenfold, seed=1)
    assert not set(train) & set(val)
    assert all(val.count(w) == 10 for w in set(val)) and len(set(val)) == len(words) // 10


def test_the_split_is_seeded(words):
    _, val = hold_out_words(words, seed=1)
    assert hold_out_words(list(words), seed=1)[1] == val
    assert set(hold_out_words(words, seed=2)[1]) != set(val)


def test_a_byte_order_mark_is_dropped_and_spellings_are_normalised(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text("\ufeffcafe\u0301\ncaf\u00e9\nzoe\n", encoding="utf-8")  # NFD, NFC
    words = read_words(path)
    assert words.words == ["caf\u00e9", "caf\u00e9", "zoe"]
    assert "\ufeff" not in vocabulary(words).itos and "\u0301" not in vocabulary(words).itos


def test_tab_separated_lines_give_their_first_column(tmp_path):
    path = tmp_path / "w.tsv"
    path.write_text("anna\t12\nbob\t7\n\tcol2\n", encoding="utf-8")
    words = read_words(path)
    assert words.words == ["anna", "bob"] and words.tabbed


def test_a_stray_paragraph_is_refused_or_dropped_with_max_length(tmp_path, words):
    path = tmp_path / "w.txt"
    path.write_text("\n".join([*words, "x" * 10_000]), encoding="utf-8")
    with pytest.raises(InputError, match=r"10,000 characters long.*--max-length"):
        max_length(read_words(path), None)
    length, kept = max_length(read_words(path), 20)
    assert length == max(map(len, words)) and kept == words
    with pytest.raises(UsageError, match="fewer than 2"):
        max_length(read_words(path), 1)


def test_vectorised_encoding_matches_the_definition(words):
    vocab = Vocabulary.from_words(words)
    data = encode_words(words, vocab, 12)
    for i, word in enumerate(words):
        ids = vocab.encode(word)
        assert data.x[i].tolist() == [0, *ids] + [0] * (12 - len(ids))
        assert data.y[i].tolist() == [*ids, 0] + [-1] * (12 - len(ids))
