from __future__ import annotations

import random

import pytest
import torch

from zero_to_hero.makemore import Vocabulary, build_dataset, dataset_splits, split_words


def test_vocabulary_from_names(names):
    vocab = Vocabulary.from_words(names)
    assert len(vocab) == 27
    assert vocab.stoi["."] == 0
    assert [vocab.stoi[c] for c in "az"] == [1, 26]


def test_vocabulary_is_built_from_the_data():
    vocab = Vocabulary.from_words(["bob", "ann"])
    assert vocab.itos == (".", "a", "b", "n", "o")
    assert vocab.encode("nab") == [3, 1, 2]
    assert vocab.decode([3, 1, 2]) == "nab"


def test_unknown_character_is_a_clear_error():
    vocab = Vocabulary.from_words(["bob"])
    with pytest.raises(
        ValueError, match=r"'boz!' contains characters outside the vocabulary: '!z'"
    ):
        vocab.encode("boz!")


def test_bad_word_lists():
    with pytest.raises(ValueError, match="empty"):
        Vocabulary.from_words([])
    with pytest.raises(ValueError, match="may not contain"):
        Vocabulary.from_words(["a.b"])


def test_emma_examples():
    vocab = Vocabulary.from_words("abcdefghijklmnopqrstuvwxyz")
    X, Y = build_dataset(["emma"], 3, vocab)
    assert X.tolist() == [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]]
    assert Y.tolist() == [5, 13, 13, 1, 0]
    assert X.dtype == Y.dtype == torch.long
    X1, Y1 = build_dataset(["emma"], 1, vocab)
    assert X1[:, 0].tolist() == [0, 5, 13, 13, 1] and Y1.tolist() == [5, 13, 13, 1, 0]


def test_dataset_rejects_bad_input():
    vocab = Vocabulary.from_words(["emma"])
    with pytest.raises(ValueError, match="block_size"):
        build_dataset(["emma"], 0, vocab)
    with pytest.raises(ValueError, match="outside the vocabulary"):
        build_dataset(["emma", "zoe"], 3, vocab)


def test_split_matches_the_lectures_shuffle(names):
    train, dev, test = split_words(names)
    expected = list(names)
    random.seed(42)
    random.shuffle(expected)
    assert train + dev + test == expected
    assert (len(train), len(dev), len(test)) == (25_626, 3_203, 3_204)
    vocab = Vocabulary.from_words(names)
    sizes = [build_dataset(part, 3, vocab)[0].shape[0] for part in (train, dev, test)]
    assert sizes == [182_625, 22_655, 22_866]
    assert names[0] == "emma", "the caller's list must not be shuffled"


def test_dataset_splits_bundle_the_lecture_split(names):
    splits = dataset_splits(names, 3)
    assert splits.vocab == Vocabulary.from_words(names)
    assert [X.shape[0] for X, _ in (splits.train, splits.dev, splits.test)] == [
        182_625,
        22_655,
        22_866,
    ]
    train_words, _, _ = split_words(names)
    X, Y = build_dataset(train_words, 3, splits.vocab)
    assert torch.equal(splits.train[0], X) and torch.equal(splits.train[1], Y)
