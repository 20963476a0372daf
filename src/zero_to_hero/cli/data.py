"""Word lists for the command line: reading them strictly, splitting them, batching them.

Every model sees a word as one sequence: ``x = [., w1, w2, ..., wn, pad...]`` and
``y = [w1, w2, ..., wn, ., -1...]``. Position ``t`` predicts ``y[t]`` from ``x[:t + 1]``; ``-1``
marks padding that the loss ignores. '.' (index 0) both starts and ends a word, as in makemore.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import torch

from zero_to_hero.data import DataError, load_words
from zero_to_hero.makemore.data import Vocabulary


def read_words(path: str | Path) -> list[str]:
    """The words of a UTF-8 file, one per line, or a ``DataError`` that says what is wrong."""
    words = load_words(path)  # missing, not UTF-8, or empty: a DataError already
    binary = [w for w in words if any(unicodedata.category(c) == "Cc" for c in w)]
    if binary:
        raise DataError(f"{path} looks like a binary file: it has control characters in its lines")
    if len(set(words)) < 2:
        raise DataError(f"{path} has fewer than 2 distinct words: too few to train and validate")
    return words


def split_words(words: list[str], seed: int) -> tuple[list[str], list[str]]:
    """Shuffle and hold out 10% of the words (at most 1,000, at least 1) for validation."""
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    n_val = max(1, min(1000, len(words) // 10))
    return shuffled[n_val:], shuffled[:n_val]


@dataclass(frozen=True)
class Encoded:
    """Words as padded ``(x, y)`` tensors of shape ``(words, max_length + 1)``."""

    x: torch.Tensor
    y: torch.Tensor


def encode_words(words: list[str], vocab: Vocabulary, max_length: int) -> Encoded:
    x = torch.zeros(len(words), max_length + 1, dtype=torch.long)
    y = torch.full((len(words), max_length + 1), -1, dtype=torch.long)
    for i, word in enumerate(words):
        ids = vocab.encode(word)
        x[i, 1 : len(ids) + 1] = torch.tensor(ids, dtype=torch.long)
        y[i, : len(ids) + 1] = torch.tensor([*ids, 0], dtype=torch.long)
    return Encoded(x, y)
