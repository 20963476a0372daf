"""Byte-level BPE on the raw UTF-8 bytes of a text, with no split pattern (minbpe's first stage)."""

from __future__ import annotations

from pathlib import Path

from zero_to_hero.tokenizer.base import Tokenizer
from zero_to_hero.tokenizer.training import fast_merges


class BasicTokenizer(Tokenizer):
    """Merges may cross anything: letters, spaces, punctuation. Good for seeing BPE work."""

    def train(self, text: str, vocab_size: int, verbose: bool = False) -> None:
        """Learn ``vocab_size - 256`` merges from ``text`` (fewer if the text runs out of pairs)."""
        if vocab_size < 256:
            raise ValueError(f"vocab_size must be at least 256 (the bytes), not {vocab_size}")
        merges = fast_merges(
            [text.encode("utf-8")],
            vocab_size - 256,
            on_merge=self._merge_printer() if verbose else None,
        )
        self.merges = {m.pair: m.new_id for m in merges}
        self.vocab = self._build_vocab()

    def encode(self, text: str) -> list[int]:
        return self._merge_chunk(list(text.encode("utf-8")))

    def load(self, model_file: str | Path) -> None:
        super().load(model_file)
        if self.pattern or self.special_tokens:
            raise ValueError(
                f"{model_file} has a split pattern or special tokens: load it with RegexTokenizer"
            )
