"""Word lists for the command line: reading them strictly, holding out validation words, encoding
them.

Every model sees a word as one sequence: ``x = [., w1, w2, ..., wn, pad...]`` and
``y = [w1, w2, ..., wn, ., -1...]``. Position ``t`` predicts ``y[t]`` from ``x[:t + 1]``; ``-1``
marks padding that the loss ignores. '.' (index 0) both starts and ends a word, as in makemore.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import torch

from zero_to_hero.cli.errors import InputError, UsageError
from zero_to_hero.makemore.dataset import BOUNDARY, Vocabulary

# Control characters other than the line breaks and tabs a text file may hold: a binary file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A longest word this many times the median length (and over 32) is a stray line, not a word.
OUTLIER_FACTOR = 8
VAL_FRACTION, VAL_MAX = 10, 1000  # hold out 1/10 of the distinct words, at most 1,000


@dataclass(frozen=True)
class WordList:
    """The entries of a word file, in file order, duplicates kept."""

    path: Path
    words: list[str]
    tabbed: bool  # some lines had tab-separated columns; the first column was taken

    @cached_property
    def chars(self) -> frozenset[str]:
        return frozenset("".join(self.words))

    @property
    def sha256(self) -> str:
        """Identifies the list on resume and in ``sample``: same entries, same order."""
        return hashlib.sha256("\n".join(self.words).encode("utf-8")).hexdigest()


def read_words(path: str | Path) -> WordList:
    """The words of a UTF-8 file, one per line, or an ``InputError`` that says what is wrong.

    A byte-order mark is dropped and the text normalised to NFC, so ``é`` typed as one code
    point or as ``e`` + accent is one character; of tab-separated columns the first is the word.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{path} is not UTF-8 text ({err.reason} at byte {err.start}).") from err
    except OSError as err:
        raise InputError(f"cannot read {path} ({err.strerror or err})") from err
    if match := _CONTROL.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise InputError(
            f"{path} looks like a binary file: line {line:,} has the control character "
            f"{match.group()!r}"
        )
    text = unicodedata.normalize("NFC", text)
    tabbed = "\t" in text
    lines = (line.split("\t", 1)[0] for line in text.splitlines()) if tabbed else text.splitlines()
    words = [w for w in map(str.strip, lines) if w]
    if not words:
        raise InputError(f"{path} holds no words: expected one word per line.")
    if all(w == words[0] for w in words):
        raise InputError(f"{path} has fewer than 2 distinct words: too few to train and validate")
    result = WordList(path, words, tabbed)
    if BOUNDARY in result.chars:
        raise InputError(f"{path}: the words may not contain {BOUNDARY!r}, which marks their ends")
    return result


def vocabulary(words: WordList) -> Vocabulary:
    return Vocabulary.from_words(words.chars)


def max_length(words: WordList, limit: int | None) -> tuple[int, list[str]]:
    """The longest word to train on, and the words kept.

    With ``limit`` (``--max-length``) longer words are dropped. Without it the longest word sets
    the length, unless it is an outlier (a stray paragraph pads every word to its length and
    makes each step thousands of times slower): then the message says which line and what to do.
    """
    lengths = np.fromiter(map(len, words.words), dtype=np.int64, count=len(words.words))
    if limit is not None:
        kept = [w for w in words.words if len(w) <= limit] if lengths.max() > limit else words.words
        if len(set(kept)) < 2:
            raise UsageError(f"--max-length {limit} leaves fewer than 2 distinct words")
        return int(lengths[lengths <= limit].max()), kept
    typical = int(np.median(lengths))
    longest = int(lengths.max())
    if longest > max(OUTLIER_FACTOR * typical, 32):
        raise InputError(
            f"{words.path}: word {int(lengths.argmax()) + 1:,} is {longest:,} characters long, but "
            f"half the words have at most {typical}: remove it, or pass --max-length N to leave "
            "out longer words"
        )
    return longest, words.words


def hold_out_words(words: list[str], seed: int) -> tuple[list[str], list[str]]:
    """Hold out 10% of the *distinct* words (at most 1,000, at least 1) for validation.

    Not the lectures' ``zero_to_hero.makemore.split_words`` (80/10/10 of the entries, as
    Karpathy shuffles them): a user's file may list a word many times, and is often large.

    Splitting entries would put a word listed twice on both sides, so validation would measure
    memory, not generalisation. Every copy of a word goes where the word goes; both sides keep
    the file's order. The held-out words are a seeded sample of the distinct words in the order
    they first appear, so the split depends on the seed and the file only, not on Python's
    per-process string hashing (and takes seconds, not a minute, for 50 MB of words).
    """
    distinct = list(dict.fromkeys(words))
    n_val = max(1, min(VAL_MAX, len(distinct) // VAL_FRACTION))
    held_out = set(random.Random(seed).sample(distinct, n_val))
    return [w for w in words if w not in held_out], [w for w in words if w in held_out]


@dataclass(frozen=True)
class Encoded:
    """Words as padded ``(x, y)`` tensors of shape ``(words, max_length + 1)``."""

    x: torch.Tensor
    y: torch.Tensor

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, ix: torch.Tensor | slice) -> Encoded:
        return Encoded(self.x[ix], self.y[ix])

    def to(self, device: torch.device) -> Encoded:
        return Encoded(self.x.to(device), self.y.to(device))


def encode_words(words: list[str], vocab: Vocabulary, max_length: int) -> Encoded:
    """All words at once with numpy (a Python loop took minutes for 50 MB of words)."""
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    if len(words) and lengths.max() > max_length:
        raise ValueError(f"a word is longer than max_length {max_length}")
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
    alphabet = np.array([ord(c) for c in vocab.itos], dtype=np.uint32)
    order = np.argsort(alphabet)  # '.' comes first in the vocabulary, not in code-point order
    pos = np.minimum(np.searchsorted(alphabet[order], codes), len(alphabet) - 1)
    if (wrong := alphabet[order][pos] != codes).any():
        unknown = sorted({chr(c) for c in codes[wrong]})
        raise ValueError(f"characters outside the vocabulary: {''.join(unknown)!r}")
    ids = order[pos].astype(np.int64)
    # flat position of character j of word i: i * (max_length + 1) + j
    starts = np.cumsum(lengths) - lengths
    flat = np.arange(len(codes)) + np.repeat(
        np.arange(len(words)) * (max_length + 1) - starts, lengths
    )
    x = np.zeros(len(words) * (max_length + 1), dtype=np.int64)
    y = np.full(len(words) * (max_length + 1), -1, dtype=np.int64)
    x[flat + 1] = ids
    y[flat] = ids
    y[np.arange(len(words)) * (max_length + 1) + lengths] = 0  # '.' ends every word
    shape = (len(words), max_length + 1)
    return Encoded(torch.from_numpy(x).view(shape), torch.from_numpy(y).view(shape))
