"""Small synthetic data sets used by the lectures."""

from __future__ import annotations

import numpy as np


def make_moons(
    n_samples: int = 100, noise: float = 0.1, seed: int = 1337
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, drawn exactly as scikit-learn's ``make_moons`` draws them.

    Returns points ``X`` of shape ``(n_samples, 2)`` and labels ``y`` in {-1, +1} (the sign
    convention of a max-margin loss). ``make_moons(100, 0.1, seed=1337)`` gives the same points as
    ``np.random.seed(1337); sklearn.datasets.make_moons(n_samples=100, noise=0.1)`` in micrograd's
    demo: the same legacy NumPy generator, used in the same order (shuffle, then noise). Written
    here so that the course does not depend on scikit-learn.
    """
    if n_samples < 2:
        raise ValueError(f"need at least 2 samples, got {n_samples}")
    rng = np.random.RandomState(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    t_outer = np.linspace(0, np.pi, n_outer)
    t_inner = np.linspace(0, np.pi, n_inner)
    X = np.column_stack(
        [
            np.append(np.cos(t_outer), 1 - np.cos(t_inner)),
            np.append(np.sin(t_outer), 1 - np.sin(t_inner) - 0.5),
        ]
    )
    y = np.append(-np.ones(n_outer), np.ones(n_inner))
    order = np.arange(n_samples)
    rng.shuffle(order)
    X, y = X[order], y[order]
    return X + rng.normal(scale=noise, size=X.shape), y
