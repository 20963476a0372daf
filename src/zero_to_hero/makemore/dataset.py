"""Characters to integers, words to (context, next character) examples, and the data split."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import torch

BOUNDARY = "."


@dataclass(frozen=True)
class Vocabulary:
    """The characters of a word list, with '.' (index 0) marking both start and end of a word.

    Built from the data rather than hard-coded: names.txt gives '.' = 0 and a..z = 1..26.
    """

    itos: tuple[str, ...]

    @classmethod
    def from_words(cls, words: Iterable[str]) -> Vocabulary:
        chars = sorted(set("".join(words)))
        if not chars:
            raise ValueError("cannot build a vocabulary from an empty word list")
        if BOUNDARY in chars:
            raise ValueError(f"the words may not contain {BOUNDARY!r}, which marks their ends")
        return cls((BOUNDARY, *chars))

    @cached_property  # built once, not on every encode
    def stoi(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, word: str) -> list[int]:
        stoi = self.stoi
        unknown = sorted({ch for ch in word if ch not in stoi})
        if unknown:
            raise ValueError(
                f"{word!r} contains characters outside the vocabulary: {''.join(unknown)!r}"
            )
        return [stoi[ch] for ch in word]

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(self.itos[i] for i in ids)


def build_dataset(
    words: Sequence[str], block_size: int, vocab: Vocabulary
) -> tuple[torch.Tensor, torch.Tensor]:
    """Every (context, next character) pair of every word.

    The context is the ``block_size`` previous characters, padded with '.' at the start of a word;
    each word also yields a final example whose target is '.' (the end). ``X`` has shape
    ``(examples, block_size)`` and ``Y`` shape ``(examples,)``, both int64.
    """
    if block_size < 1:
        raise ValueError(f"block_size must be at least 1, got {block_size}")
    X, Y = [], []
    for word in words:
        context = [0] * block_size
        for ix in [*vocab.encode(word), 0]:
            X.append(context)
            Y.append(ix)
            context = [*context[1:], ix]
    return torch.tensor(X, dtype=torch.long).view(-1, block_size), torch.tensor(Y, dtype=torch.long)


def split_words(words: Sequence[str], seed: int = 42) -> tuple[list[str], list[str], list[str]]:
    """Shuffle (as ``random.seed(seed); random.shuffle(words)`` would) and split 80/10/10.

    Returns (train, dev, test). The caller's list is left untouched.
    """
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    n1, n2 = int(0.8 * len(shuffled)), int(0.9 * len(shuffled))
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


@dataclass(frozen=True)
class Splits:
    """A word list turned into the three data sets every makemore lecture trains and tests on."""

    vocab: Vocabulary
    train: tuple[torch.Tensor, torch.Tensor]
    dev: tuple[torch.Tensor, torch.Tensor]
    test: tuple[torch.Tensor, torch.Tensor]


def dataset_splits(words: Sequence[str], block_size: int, seed: int = 42) -> Splits:
    """The vocabulary of ``words`` and the (X, Y) examples of their 80/10/10 split."""
    vocab = Vocabulary.from_words(words)
    train, dev, test = (build_dataset(part, block_size, vocab) for part in split_words(words, seed))
    return Splits(vocab, train, dev, test)
