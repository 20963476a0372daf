"""Word lists for the command line: reading them strictly, splitting them, batching them.

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
from pathlib import Path

import numpy as np
import torch

from zero_to_hero.cli.errors import InputError, UsageError
from zero_to_hero.makemore.data import BOUNDARY, Vocabulary

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
    lines = text.splitlines()
    words = [w for w in (line.split("\t", 1)[0].strip() for line in lines) if w]
    if not words:
        raise InputError(f"{path} holds no words: expected one word per line.")
    if len(set(words)) < 2:
        raise InputError(f"{path} has fewer than 2 distinct words: too few to train and validate")
    if any(BOUNDARY in w for w in set(words)):
        raise InputError(f"{path}: the words may not contain {BOUNDARY!r}, which marks their ends")
    return WordList(path, words, tabbed)


def vocabulary(words: WordList) -> Vocabulary:
    return Vocabulary.from_words(set(words.words))


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


def split_words(words: list[str], seed: int) -> tuple[list[str], list[str]]:
    """Hold out 10% of the *distinct* words (at most 1,000, at least 1) for validation.

    Splitting entries would put a word listed twice on both sides, so validation would measure
    memory, not generalisation. Every copy of a word goes where the word goes; both sides keep
    the file's order. The distinct words are sorted before the seeded shuffle, so the split does
    not depend on Python's per-process string hashing.
    """
    distinct = sorted(set(words))
    random.Random(seed).shuffle(distinct)
    held_out = set(distinct[: max(1, min(VAL_MAX, len(distinct) // VAL_FRACTION))])
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
    order = np.argsort(alphabet)
    pos = np.searchsorted(alphabet[order], codes)
    pos = np.minimum(pos, len(alphabet) - 1)
    if not np.array_equal(alphabet[order][pos], codes):
        unknown = sorted({chr(c) for c in codes[alphabet[order][pos] != codes]})
        raise ValueError(f"characters outside the vocabulary: {''.join(unknown)!r}")
    ids = torch.from_numpy(order[pos].astype(np.int64))
    rows = torch.from_numpy(np.repeat(np.arange(len(words)), lengths))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(words) else lengths
    cols = torch.from_numpy(np.arange(len(codes)) - np.repeat(starts, lengths))
    x = torch.zeros(len(words), max_length + 1, dtype=torch.long)
    y = torch.full((len(words), max_length + 1), -1, dtype=torch.long)
    x[rows, cols + 1] = ids
    y[rows, cols] = ids
    y[torch.arange(len(words)), torch.from_numpy(lengths)] = 0  # '.' ends every word
    return Encoded(x, y)
