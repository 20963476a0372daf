"""BPE within pieces of text split by a regex, plus special tokens (minbpe's second stage)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import regex

from zero_to_hero.tokenizer.base import Tokenizer
from zero_to_hero.tokenizer.training import fast_merges

# GPT-2's pattern as released in its encoder.py (contractions, letters, numbers, other, spaces)
GPT2_SPLIT_PATTERN = (
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
)
# GPT-4's (tiktoken's cl100k_base): case-insensitive contractions, numbers of at most 3 digits,
# newlines kept with punctuation; possessive quantifiers (++) only make it faster
GPT4_SPLIT_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)


class RegexTokenizer(Tokenizer):
    """Split text with ``pattern`` first, so that no merge crosses from letters into spaces,
    digits or punctuation; then BPE inside each piece. Special tokens are matched before the
    split and never go through BPE.
    """

    def __init__(self, pattern: str | None = None) -> None:
        super().__init__()
        self.pattern = GPT4_SPLIT_PATTERN if pattern is None else pattern
        self._compile()

    def _compile(self) -> None:
        self._split = regex.compile(self.pattern)
        self.inverse_special_tokens = {idx: s for s, idx in self.special_tokens.items()}
        # pieces repeat a lot (" the", ","): encode each distinct piece once
        self._encode_piece = lru_cache(maxsize=1 << 16)(self._encode_piece_uncached)

    def train(self, text: str, vocab_size: int, verbose: bool = False) -> None:
        """Learn ``vocab_size - 256`` merges from the pieces of ``text``."""
        if vocab_size < 256:
            raise ValueError(f"vocab_size must be at least 256 (the bytes), not {vocab_size}")
        pieces = Counter(self._split.findall(text))  # keeps the order of first appearance
        merges = fast_merges(
            [p.encode("utf-8") for p in pieces],
            vocab_size - 256,
            weights=list(pieces.values()),
            on_merge=self._merge_printer() if verbose else None,
        )
        self.merges = {m.pair: m.new_id for m in merges}
        self.vocab = self._build_vocab()
        self._compile()

    def register_special_tokens(self, special_tokens: dict[str, int]) -> None:
        """Add tokens such as ``{"<|endoftext|>": 100257}``, usually right after the vocabulary."""
        taken = {s: i for s, i in special_tokens.items() if i in self.vocab and i not in
                 self.inverse_special_tokens}  # fmt: skip
        if taken:
            raise ValueError(f"special token ids already used by merged tokens: {taken}")
        self.special_tokens.update(special_tokens)
        self.vocab = self._build_vocab()
        self._compile()

    def _encode_piece_uncached(self, piece: str) -> tuple[int, ...]:
        return tuple(self._merge_chunk(list(piece.encode("utf-8"))))

    def encode_ordinary(self, text: str) -> list[int]:
        """Encode ``text`` ignoring special tokens (their text is encoded like any other)."""
        return [idx for piece in self._split.findall(text) for idx in self._encode_piece(piece)]

    def encode(self, text: str, allowed_special: str | set[str] = "none_raise") -> list[int]:
        """Encode ``text``; ``allowed_special`` says which special tokens may appear in it.

        ``"all"``: every registered special token; ``"none"``: none (their text is encoded as
        ordinary text); ``"none_raise"`` (the default, as in tiktoken): none, and a special
        token's text in ``text`` raises ``ValueError``; or a set of special-token strings.
        """
        if allowed_special == "all":
            special = self.special_tokens
        elif allowed_special in ("none", "none_raise"):
            special = {}
            if allowed_special == "none_raise":
                found = [s for s in self.special_tokens if s in text]
                if found:
                    raise ValueError(
                        f"text contains special tokens {found}; pass allowed_special to encode "
                        "them as special tokens, or 'none' to encode them as ordinary text"
                    )
        elif isinstance(allowed_special, set):
            unknown = allowed_special - set(self.special_tokens)
            if unknown:
                raise ValueError(f"not registered special tokens: {sorted(unknown)}")
            special = {s: self.special_tokens[s] for s in allowed_special}
        else:
            raise ValueError(f"allowed_special={allowed_special!r} is not understood")
        if not special:
            return self.encode_ordinary(text)
        # longest first, so that one special token that is a prefix of another cannot steal it
        alternation = "|".join(re.escape(s) for s in sorted(special, key=len, reverse=True))
        ids = []
        for part in re.split(f"({alternation})", text):
            ids.extend([special[part]] if part in special else self.encode_ordinary(part))
        return ids

    def load(self, model_file: str | Path) -> None:
        super().load(model_file)
        self._compile()
