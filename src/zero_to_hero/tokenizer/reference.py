"""tiktoken's GPT-2 and GPT-4 encodings, built from the local data files.

``tiktoken.get_encoding`` downloads its files on first use and fails offline; an ``Encoding``
built from the files that ``zero_to_hero.data`` finds (and checksums) works anywhere.
"""

from __future__ import annotations

import tiktoken
from tiktoken.load import data_gym_to_mergeable_bpe_ranks

from zero_to_hero.data import data_path
from zero_to_hero.tokenizer.gpt4 import GPT4_SPECIAL_TOKENS, load_tiktoken_ranks
from zero_to_hero.tokenizer.regex_tokenizer import GPT4_SPLIT_PATTERN

# tiktoken's faster equivalent of GPT-2's original pattern
GPT2_TIKTOKEN_PATTERN = (
    r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
)


def gpt2_encoding() -> tiktoken.Encoding:
    """GPT-2's tokenizer (50,257 tokens) from its released ``vocab.bpe`` and ``encoder.json``."""
    ranks = data_gym_to_mergeable_bpe_ranks(
        str(data_path("gpt2_vocab.bpe")), str(data_path("gpt2_encoder.json"))
    )
    return tiktoken.Encoding(
        name="gpt2",
        pat_str=GPT2_TIKTOKEN_PATTERN,
        mergeable_ranks=ranks,
        special_tokens={"<|endoftext|>": 50256},
    )


def gpt4_encoding() -> tiktoken.Encoding:
    """GPT-4's tokenizer, cl100k_base (100,277 tokens), from ``cl100k_base.tiktoken``."""
    return tiktoken.Encoding(
        name="cl100k_base",
        pat_str=GPT4_SPLIT_PATTERN,
        mergeable_ranks=load_tiktoken_ranks(data_path("cl100k_base.tiktoken")),
        special_tokens=GPT4_SPECIAL_TOKENS,
    )
