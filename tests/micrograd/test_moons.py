from __future__ import annotations

import numpy as np
import pytest

from zero_to_hero.micrograd.moons import make_moons


def test_shape_labels_and_balance():
    X, y = make_moons(101, noise=0.1, seed=0)
    assert X.shape == (101, 2)
    assert set(y) == {-1.0, 1.0}
    assert (y == -1).sum() == 50 and (y == 1).sum() == 51


def test_deterministic_under_a_seed():
    a, _ = make_moons(50, 0.1, seed=3)
    b, _ = make_moons(50, 0.1, seed=3)
    c, _ = make_moons(50, 0.1, seed=4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_without_noise_points_lie_on_the_two_half_circles():
    X, y = make_moons(40, noise=0.0)
    outer, inner = X[y == -1], X[y == 1]
    assert np.allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0)
    assert np.allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1.0)


def test_same_points_as_scikit_learn_after_seeding():
    # np.random.seed(1337); sklearn.datasets.make_moons(n_samples=100, noise=0.1) draws with the
    # legacy generator: shuffle the 100 indices, then add normal noise. Replaying that draw here
    # must give our points.
    rng = np.random.RandomState(1337)
    order = np.arange(100)
    rng.shuffle(order)
    noise = rng.normal(scale=0.1, size=(100, 2))
    X, _ = make_moons(100, 0.1, seed=1337)
    clean, _ = make_moons(100, 0.0, seed=1337)
    assert np.allclose(X - clean, noise)


def test_too_few_samples():
    with pytest.raises(ValueError, match="at least 2"):
        make_moons(1)
