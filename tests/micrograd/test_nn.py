"""Neuron, Layer and MLP: shapes, API, and agreement with Karpathy's micrograd 0.1.0."""

from __future__ import annotations

import random

import micrograd.engine as reference_engine
import micrograd.nn as reference_nn
import pytest

from zero_to_hero.micrograd import MLP, Layer, Neuron, Value
from zero_to_hero.micrograd.moons import make_moons


def test_parameter_counts():
    assert len(MLP(3, [4, 4, 1]).parameters()) == 41
    assert len(MLP(2, [16, 16, 1]).parameters()) == 337
    assert len(Layer(5, 3).parameters()) == 18
    assert len(Neuron(7).parameters()) == 8


def test_last_layer_is_linear_and_single_output_is_a_value():
    model = MLP(2, [3, 1])
    assert [n.nonlin for n in model.layers[0].neurons] == [True] * 3
    assert model.layers[-1].neurons[0].nonlin is False
    assert isinstance(model([1.0, -1.0]), Value)
    assert len(MLP(2, [3, 4])([1.0, -1.0])) == 4


def test_tanh_activation_bounds_hidden_outputs():
    random.seed(0)
    layer = Layer(3, 5, activation="tanh")
    outs = layer([10.0, -10.0, 10.0])
    assert all(-1 < o.data < 1 for o in outs)
    assert repr(layer.neurons[0]) == "TanhNeuron(3)"


def test_errors():
    with pytest.raises(ValueError, match="activation"):
        Neuron(2, activation="sigmoid")
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        Neuron(2)([1.0, 2.0, 3.0])


def test_zero_grad():
    model = MLP(2, [2, 1])
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_repr_matches_micrograd():
    random.seed(1)
    ours = repr(MLP(2, [3, 1]))
    random.seed(1)
    theirs = repr(reference_nn.MLP(2, [3, 1]))
    assert ours == theirs


def _moons_steps(value_cls, mlp_cls, steps):
    random.seed(1337)
    X, y = make_moons(100, 0.1, seed=1337)
    model = mlp_cls(2, [16, 16, 1])
    losses = []
    for k in range(steps):
        scores = [model([value_cls(float(a)), value_cls(float(b))]) for a, b in X]
        data_loss = sum((1 + -float(yi) * si).relu() for yi, si in zip(y, scores)) * (1.0 / len(y))
        loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
        losses.append(loss.data)
    return losses


def test_training_matches_micrograd_reference():
    """Same seed, same data, same arithmetic: the same loss curve as micrograd 0.1.0."""
    ours = _moons_steps(Value, MLP, 3)
    theirs = _moons_steps(reference_engine.Value, reference_nn.MLP, 3)
    assert ours[0] == pytest.approx(0.8958441028683222, rel=1e-12)
    assert ours == pytest.approx(theirs, rel=1e-9)
