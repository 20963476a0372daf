"""Lecture 8: byte-pair encoding tokenizers in the style of minbpe, and GPT-4's rebuilt."""

from zero_to_hero.tokenizer.base import Tokenizer, get_stats, merge
from zero_to_hero.tokenizer.basic import BasicTokenizer
from zero_to_hero.tokenizer.gpt4 import GPT4Tokenizer
from zero_to_hero.tokenizer.regex_tokenizer import (
    GPT2_SPLIT_PATTERN,
    GPT4_SPLIT_PATTERN,
    RegexTokenizer,
)

__all__ = [
    "GPT2_SPLIT_PATTERN",
    "GPT4_SPLIT_PATTERN",
    "BasicTokenizer",
    "GPT4Tokenizer",
    "RegexTokenizer",
    "Tokenizer",
    "get_stats",
    "merge",
]
