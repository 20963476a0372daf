"""The parts every tokenizer shares: pair statistics, merging, the vocabulary, saving and loading.

A tokenizer here is what minbpe calls one: ``merges`` maps a pair of token ids to the id of the
token they merge into, in the order the merges were learned (ids 256, 257, ...), and ``vocab``
maps every id to its bytes. Ids 0-255 are the raw bytes of UTF-8 text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # training imports this module; the type is only needed for annotations
    from zero_to_hero.tokenizer.training import Merge

Pair = tuple[int, int]
MODEL_VERSION = "minbpe v1"  # the .model format of karpathy/minbpe, so models load in both


def get_stats(ids: list[int], counts: dict[Pair, int] | None = None) -> dict[Pair, int]:
    """Count each adjacent pair of ``ids`` (into ``counts`` if given), in order of first sight."""
    counts = {} if counts is None else counts
    for pair in pairwise(ids):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids: list[int], pair: Pair, idx: int) -> list[int]:
    """Replace every occurrence of ``pair`` in ``ids``, left to right, by the token ``idx``."""
    out = []
    i = 0
    while i < len(ids):
        if i < len(ids) - 1 and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(idx)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def render_token(token: bytes) -> str:
    """Printable text for a token's bytes: invalid UTF-8 replaced, control characters escaped."""
    text = token.decode("utf-8", errors="replace")
    return "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch).startswith("C") else ch for ch in text
    )


def build_vocab(merges: dict[Pair, int], special_tokens: dict[str, int]) -> dict[int, bytes]:
    """Every id's bytes: the 256 raw bytes, each merge's two parts joined, the special tokens.

    A function rather than only a method, so that ``Tokenizer.__init__`` does not call a method
    a subclass overrides before the subclass has set itself up.
    """
    vocab = {idx: bytes([idx]) for idx in range(256)}
    for (a, b), idx in merges.items():  # in merge order: parts come before the whole
        vocab[idx] = vocab[a] + vocab[b]
    for special, idx in special_tokens.items():
        vocab[idx] = special.encode("utf-8")
    return vocab


class Tokenizer:
    """Base class: holds merges, split pattern and special tokens; saves and loads them."""

    def __init__(self) -> None:
        self.merges: dict[Pair, int] = {}
        self.pattern = ""
        self.special_tokens: dict[str, int] = {}
        self.vocab = build_vocab(self.merges, self.special_tokens)

    def train(self, text: str, vocab_size: int, verbose: bool = False) -> None:
        raise NotImplementedError

    def encode(self, text: str) -> list[int]:
        raise NotImplementedError

    def decode(self, ids: list[int]) -> str:
        """The text of ``ids``; byte sequences that are not valid UTF-8 become U+FFFD."""
        parts = []
        for idx in ids:
            if idx not in self.vocab:
                raise ValueError(f"unknown token id {idx} (vocabulary size {len(self.vocab)})")
            parts.append(self.vocab[idx])
        return b"".join(parts).decode("utf-8", errors="replace")

    def _build_vocab(self) -> dict[int, bytes]:
        """The vocabulary of the current merges and special tokens (after training or loading)."""
        return build_vocab(self.merges, self.special_tokens)

    def _merge_printer(self) -> Callable[[Merge], None]:
        """Print each merge as it is learned (``train(..., verbose=True)``)."""
        vocab = dict(self.vocab)

        def report(m: Merge) -> None:
            vocab[m.new_id] = token = vocab[m.pair[0]] + vocab[m.pair[1]]
            print(f"merge {m.new_id - 255}: {m.pair} -> {m.new_id} [{render_token(token)}] "
                  f"had {m.occurrences:,} occurrences")  # fmt: skip

        return report

    def _merge_chunk(self, ids: list[int]) -> list[int]:
        """Apply the merges to one chunk: always the earliest-learned pair present, until none."""
        while len(ids) >= 2:
            stats = get_stats(ids)
            pair = min(stats, key=lambda p: self.merges.get(p, float("inf")))
            if pair not in self.merges:
                break
            ids = merge(ids, pair, self.merges[pair])
        return ids

    def save(self, file_prefix: str | Path) -> None:
        """Write ``<prefix>.model`` (what ``load`` reads) and ``<prefix>.vocab`` (for people).

        The model file has the version line, the pattern, the special tokens and one merged pair
        per line; the merged ids are implicit (256, 257, ...).
        """
        prefix = Path(file_prefix)
        lines = [MODEL_VERSION, self.pattern, str(len(self.special_tokens))]
        lines += [f"{special} {idx}" for special, idx in self.special_tokens.items()]
        lines += [f"{a} {b}" for a, b in self.merges]
        prefix.with_name(prefix.name + ".model").write_text("\n".join(lines) + "\n", "utf-8")
        inverse = {idx: pair for pair, idx in self.merges.items()}
        with prefix.with_name(prefix.name + ".vocab").open("w", encoding="utf-8") as f:
            for idx, token in self.vocab.items():
                if idx in inverse:
                    a, b = inverse[idx]
                    f.write(
                        f"[{render_token(self.vocab[a])}][{render_token(self.vocab[b])}] -> "
                        f"[{render_token(token)}] {idx}\n"
                    )
                else:
                    f.write(f"[{render_token(token)}] {idx}\n")

    def load(self, model_file: str | Path) -> None:
        """Read a ``.model`` file written by ``save``; a malformed file raises ``ValueError``."""
        path = Path(model_file)
        if path.suffix != ".model":
            raise ValueError(f"{path} is not a .model file")
        lines = path.read_text("utf-8").split("\n")
        if lines[-1] == "":
            lines.pop()
        try:
            if lines[0] != MODEL_VERSION:
                raise ValueError(f"the first line is {lines[0]!r}, not {MODEL_VERSION!r}")
            pattern, num_special = lines[1], int(lines[2])
            special_tokens = {}
            for line in lines[3 : 3 + num_special]:
                special, token_id = line.rsplit(" ", 1)
                special_tokens[special] = int(token_id)
            merges = {}
            for idx, line in enumerate(lines[3 + num_special :], start=256):
                a, b = map(int, line.split())
                if a >= idx or b >= idx:
                    raise ValueError(f"merge {idx} uses a token that does not exist yet: {line}")
                merges[(a, b)] = idx
        except (IndexError, ValueError) as err:
            raise ValueError(f"{path} is not a valid tokenizer model: {err}") from err
        self.pattern, self.special_tokens, self.merges = pattern, special_tokens, merges
        self.vocab = self._build_vocab()
