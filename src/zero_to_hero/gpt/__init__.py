"""Lecture 7: a character-level GPT, its data pipeline and its training loop."""

from zero_to_hero.gpt.dataset import CharTokenizer, get_batch, train_val_split
from zero_to_hero.gpt.model import GPT, GPTConfig
from zero_to_hero.gpt.train import CPU, LECTURE, TrainConfig, estimate_loss, train

__all__ = [
    "CPU",
    "GPT",
    "LECTURE",
    "CharTokenizer",
    "GPTConfig",
    "TrainConfig",
    "estimate_loss",
    "get_batch",
    "train",
    "train_val_split",
]
