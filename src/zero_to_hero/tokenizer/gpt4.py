"""GPT-4's tokenizer rebuilt from its published ranks: the same ids as tiktoken's cl100k_base."""

from __future__ import annotations

import base64
from itertools import pairwise
from pathlib import Path

from zero_to_hero.data import DataError, data_path
from zero_to_hero.tokenizer.regex_tokenizer import GPT4_SPLIT_PATTERN, RegexTokenizer

GPT4_SPECIAL_TOKENS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


def load_tiktoken_ranks(path: str | Path) -> dict[bytes, int]:
    """Read a ``.tiktoken`` file: one ``<base64 token> <rank>`` per line."""
    ranks = {}
    for number, line in enumerate(Path(path).read_text("ascii").splitlines(), start=1):
        try:
            token, rank = line.split()
            ranks[base64.b64decode(token, validate=True)] = int(rank)
        except ValueError as err:
            raise DataError(f"{path}, line {number}: not '<base64> <rank>': {line!r}") from err
    return ranks


def bpe(ranks: dict[bytes, int], token: bytes, max_rank: int | None = None) -> list[bytes]:
    """Split ``token`` into parts by BPE with ``ranks``, using only merges below ``max_rank``."""
    parts = [bytes([b]) for b in token]
    while True:
        best = None
        for i, pair in enumerate(pairwise(parts)):
            rank = ranks.get(pair[0] + pair[1])
            if rank is not None and (best is None or rank < best[1]):
                best = (i, rank)
        if best is None or (max_rank is not None and best[1] >= max_rank):
            return parts
        i = best[0]
        parts = [*parts[:i], parts[i] + parts[i + 1], *parts[i + 2 :]]


def recover_merges(ranks: dict[bytes, int]) -> dict[tuple[int, int], int]:
    """The pair merges behind the ranks (tiktoken stores only each token's rank).

    A multi-byte token of rank ``r`` is the merge of the two parts that BPE leaves when it may
    only use merges ranked below ``r``; those two parts have ranks of their own.
    """
    merges = {}
    for token, rank in ranks.items():
        if len(token) == 1:
            continue
        left, right = bpe(ranks, token, max_rank=rank)
        merges[(ranks[left], ranks[right])] = rank
    return merges


class GPT4Tokenizer(RegexTokenizer):
    """``RegexTokenizer`` with GPT-4's pattern, merges and special tokens.

    Two details make it equal to tiktoken. The merges must be recovered from the ranks (above).
    And GPT-4 does not give byte ``b`` the id ``b``: its 256 single-byte tokens are numbered in a
    different order, so bytes are mapped through ``byte_shuffle`` before merging. The ranks come
    from ``cl100k_base.tiktoken``, found by ``zero_to_hero.data`` (or given as ``path``).

    One known difference: the split pattern's ``\\p{L}`` and ``\\p{N}`` follow the Unicode tables of
    the ``regex`` package, which are newer than those of tiktoken's regex engine. Text with code
    points assigned in recent Unicode versions (such as U+3D000) can be split, and so encoded,
    differently; for characters of Unicode 14 and earlier the two agree (tested).
    """

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__(pattern=GPT4_SPLIT_PATTERN)
        ranks = load_tiktoken_ranks(data_path("cl100k_base.tiktoken", path))
        if sorted(ranks.values()) != list(range(len(ranks))):
            raise DataError("the ranks file does not number its tokens 0, 1, 2, ... without gaps")
        self.byte_shuffle = {b: ranks[bytes([b])] for b in range(256)}
        self.merges = recover_merges(ranks)
        self.special_tokens = dict(GPT4_SPECIAL_TOKENS)
        self._ranked = {rank: token for token, rank in ranks.items()}
        self.vocab = self._build_vocab()
        self._compile()

    def _build_vocab(self) -> dict[int, bytes]:
        """The ranks' tokens (ids are ranks, not bytes-then-merges), then the special tokens."""
        vocab = dict(self._ranked)
        vocab.update({idx: s.encode("utf-8") for s, idx in self.special_tokens.items()})
        return vocab

    def _encode_piece_uncached(self, piece: str) -> tuple[int, ...]:
        return tuple(self._merge_chunk([self.byte_shuffle[b] for b in piece.encode("utf-8")]))

    def train(self, text: str, vocab_size: int, verbose: bool = False) -> None:
        raise NotImplementedError("GPT4Tokenizer is pretrained; train a RegexTokenizer instead")

    def save(self, file_prefix: str | Path) -> None:
        raise NotImplementedError(
            "GPT4Tokenizer is rebuilt from cl100k_base.tiktoken; the .model format cannot hold "
            "its byte shuffle"
        )

    def load(self, model_file: str | Path) -> None:
        raise NotImplementedError("GPT4Tokenizer is rebuilt from cl100k_base.tiktoken")
