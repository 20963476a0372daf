"""Lectures 2-6: character-level language models of names (makemore)."""

from zero_to_hero.makemore.data import (
    Splits,
    Vocabulary,
    build_dataset,
    dataset_splits,
    split_words,
)
from zero_to_hero.makemore.mlp import MLPLanguageModel, step_decay, train
from zero_to_hero.makemore.ngram import NgramCounts
from zero_to_hero.makemore.sampling import sample_words, split_loss

__all__ = [
    "MLPLanguageModel",
    "NgramCounts",
    "Splits",
    "Vocabulary",
    "build_dataset",
    "dataset_splits",
    "sample_words",
    "split_loss",
    "split_words",
    "step_decay",
    "train",
]
