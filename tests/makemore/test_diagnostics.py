from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from zero_to_hero.makemore.diagnostics import diagnostics_figure, update_ratios
from zero_to_hero.makemore.layers import Linear, Tanh


def _net(gain: float):
    g = torch.Generator().manual_seed(0)
    layers = [
        Linear(20, 50, generator=g),
        Tanh(),
        Linear(50, 50, generator=g),
        Tanh(),
        Linear(50, 5, generator=g),
    ]
    with torch.no_grad():
        for layer in layers[:-1]:
            if isinstance(layer, Linear):
                layer.weight *= gain
    params = [p for layer in layers for p in layer.parameters()]
    for p in params:
        p.requires_grad = True
    x = torch.randn(64, 20, generator=g)
    for layer in layers:
        x = layer(x)
    for layer in layers:
        layer.out.retain_grad()
    F.cross_entropy(x, torch.randint(0, 5, (64,), generator=g)).backward()
    return layers, params


def test_statistics_describe_the_layers():
    layers, params = _net(gain=3.0)
    history = [update_ratios(params, 0.1)] * 3
    fig, stats = diagnostics_figure(layers, params, history, "test")
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    acts = stats["activations"]
    assert [s.name for s in acts] == ["layer 1 (Tanh)", "layer 3 (Tanh)"]
    h = layers[1].out
    assert acts[0].std == pytest.approx(h.std().item())
    assert acts[0].saturated == pytest.approx((h.abs() > 0.97).float().mean().item())
    assert acts[0].saturated > 0.2  # gain 3 saturates
    grads = stats["gradients"]
    assert grads[1].std == pytest.approx(layers[3].out.grad.std().item())
    weights = stats["weights"]
    assert len(weights) == 3
    w = params[0]
    assert weights[0].ratio == pytest.approx((w.grad.std() / w.std()).item())


def test_small_gain_shrinks_activations_with_depth():
    layers, params = _net(gain=0.3)
    _, stats = diagnostics_figure(layers, params, None, "no history")
    stds = [s.std for s in stats["activations"]]
    assert stds[1] < stds[0]


def test_update_ratio_is_log10_of_relative_step():
    p = torch.tensor([1.0, -1.0, 1.0, -1.0], requires_grad=True)
    p.grad = torch.tensor([0.5, -0.5, 0.5, -0.5])
    assert update_ratios([p], lr=0.01) == [pytest.approx(-2.30103, abs=1e-5)]


def test_missing_gradient_is_explained():
    layers, params = _net(gain=1.0)
    layers[1].out = layers[1].out.detach()
    with pytest.raises(ValueError, match="retain_grad"):
        diagnostics_figure(layers, params, None, "x")


def test_a_parameter_without_a_gradient_is_named_not_a_none_error():
    p = torch.randn(3, 4, requires_grad=True)  # no backward() yet
    with pytest.raises(ValueError, match=r"shape \(3, 4\) has no gradient"):
        update_ratios([p], lr=0.1)
