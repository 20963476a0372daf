"""Lectures 2-6: character-level language models of names (makemore)."""

from zero_to_hero.makemore.dataset import (
    Splits,
    Vocabulary,
    build_dataset,
    dataset_splits,
    split_words,
)
from zero_to_hero.makemore.mlp import MLPLanguageModel
from zero_to_hero.makemore.ngram import NgramCounts
from zero_to_hero.makemore.sampling import sample_words, split_loss
from zero_to_hero.makemore.training import plot_training_curve, step_decay, train

__all__ = [
    "MLPLanguageModel",
    "NgramCounts",
    "Splits",
    "Vocabulary",
    "build_dataset",
    "dataset_splits",
    "plot_training_curve",
    "sample_words",
    "split_loss",
    "split_words",
    "step_decay",
    "train",
]
