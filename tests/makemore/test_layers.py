"""Our layers against torch.nn: outputs, gradients and running statistics."""

from __future__ import annotations

import pytest
import torch

from zero_to_hero.makemore.layers import (
    BatchNorm1d,
    Embedding,
    FlattenConsecutive,
    Linear,
    Sequential,
    Tanh,
    fold_batchnorm,
)


def test_linear_matches_torch():
    g = torch.Generator().manual_seed(0)
    ours = Linear(7, 5, generator=g)
    ours.bias = torch.randn(5, generator=g)
    theirs = torch.nn.Linear(7, 5)
    with torch.no_grad():
        theirs.weight.copy_(ours.weight.T)
        theirs.bias.copy_(ours.bias)
    x = torch.randn(11, 7, generator=g)
    assert torch.allclose(ours(x), theirs(x), atol=1e-6)
    assert ours.out is not None and ours.out.shape == (11, 5)


def test_linear_init_and_no_bias():
    layer = Linear(400, 300, bias=False, generator=torch.Generator().manual_seed(1))
    assert layer.parameters() == [layer.weight]
    x = torch.randn(2000, 400, generator=torch.Generator().manual_seed(2))
    assert layer(x).std().item() == pytest.approx(1.0, abs=0.03)


@pytest.mark.parametrize("momentum", [0.1, 0.001])
def test_batchnorm_matches_torch_in_train_and_eval(momentum):
    g = torch.Generator().manual_seed(3)
    ours = BatchNorm1d(6, momentum=momentum)
    theirs = torch.nn.BatchNorm1d(6, momentum=momentum)
    ours.gamma = torch.randn(6, generator=g).requires_grad_()
    ours.beta = torch.randn(6, generator=g).requires_grad_()
    with torch.no_grad():
        theirs.weight.copy_(ours.gamma)
        theirs.bias.copy_(ours.beta)
    for _ in range(5):
        x = (torch.randn(16, 6, generator=g) * 3 + 2).requires_grad_()
        x2 = x.detach().clone().requires_grad_()
        out, expected = ours(x), theirs(x2)
        assert torch.allclose(out, expected, atol=1e-5)
        weights = torch.randn(16, 6, generator=g)
        (out * weights).sum().backward()
        (expected * weights).sum().backward()
        assert torch.allclose(x.grad, x2.grad, atol=1e-5)
    assert torch.allclose(ours.gamma.grad, theirs.weight.grad, atol=1e-4)
    assert torch.allclose(ours.beta.grad, theirs.bias.grad, atol=1e-4)
    assert torch.allclose(ours.running_mean, theirs.running_mean, atol=1e-6)
    assert torch.allclose(ours.running_var, theirs.running_var, atol=1e-5)

    ours.training = False
    theirs.eval()
    x = torch.randn(3, 6, generator=g)
    assert torch.allclose(ours(x), theirs(x), atol=1e-5)
    single = x[:1]
    assert torch.allclose(ours(single), theirs(single), atol=1e-5)


def test_batchnorm_3d_normalises_per_channel_like_torch():
    g = torch.Generator().manual_seed(4)
    ours = BatchNorm1d(5)
    theirs = torch.nn.BatchNorm1d(5)
    x = torch.randn(8, 4, 5, generator=g) * 2 + 1  # (batch, time, channels)
    expected = theirs(x.transpose(1, 2)).transpose(1, 2)  # torch wants (batch, channels, time)
    assert torch.allclose(ours(x), expected, atol=1e-5)
    assert torch.allclose(ours.running_mean, theirs.running_mean, atol=1e-6)
    assert torch.allclose(ours.running_var, theirs.running_var, atol=1e-5)


def test_tanh():
    x = torch.linspace(-3, 3, 7)
    layer = Tanh()
    assert torch.equal(layer(x), torch.tanh(x)) and layer.parameters() == []


@pytest.mark.parametrize("bias", [True, False])
def test_fold_batchnorm_matches_the_two_layers_in_eval_mode(bias):
    g = torch.Generator().manual_seed(5)
    linear = Linear(8, 6, bias=bias, generator=g)
    if bias:
        linear.bias = torch.randn(6, generator=g)
    bn = BatchNorm1d(6, momentum=0.3)
    bn.gamma = torch.randn(6, generator=g)
    bn.beta = torch.randn(6, generator=g)
    for _ in range(10):  # give the running statistics something to remember
        bn(linear(torch.randn(32, 8, generator=g) * 2 + 1))
    bn.training = False
    folded = fold_batchnorm(linear, bn)
    x = torch.randn(50, 8, generator=g)
    assert torch.allclose(folded(x), bn(linear(x)), atol=1e-5)
    x64 = x.double()
    for layer in (linear, folded):
        layer.weight = layer.weight.double()
        layer.bias = None if layer.bias is None else layer.bias.double()
    for name in ("gamma", "beta", "running_mean", "running_var"):
        setattr(bn, name, getattr(bn, name).double())
    assert (fold_batchnorm(linear, bn)(x64) - bn(linear(x64))).abs().max().item() < 1e-12


def test_embedding_matches_torch():
    g = torch.Generator().manual_seed(6)
    ours = Embedding(27, 10, generator=g)
    theirs = torch.nn.Embedding(27, 10)
    with torch.no_grad():
        theirs.weight.copy_(ours.weight)
    ix = torch.randint(0, 27, (4, 8), generator=g)
    assert torch.equal(ours(ix), theirs(ix))
    assert ours(ix).shape == (4, 8, 10) and ours.parameters() == [ours.weight]


def test_flatten_consecutive_fuses_neighbours_and_drops_a_time_dimension_of_one():
    x = torch.arange(4 * 8 * 3).view(4, 8, 3)
    pairs = FlattenConsecutive(2)(x)
    assert pairs.shape == (4, 4, 6)
    assert torch.equal(pairs[:, 1], torch.cat([x[:, 2], x[:, 3]], dim=1))  # positions 2 and 3
    flat = FlattenConsecutive(8)(x)
    assert torch.equal(flat, torch.nn.Flatten()(x))
    with pytest.raises(ValueError, match="runs of 3"):
        FlattenConsecutive(3)(x)


def test_sequential_matches_torch_and_switches_batchnorm_mode():
    g = torch.Generator().manual_seed(7)
    ours = Sequential(
        [Embedding(27, 4, generator=g), FlattenConsecutive(3), Linear(12, 9, generator=g)]
        + [BatchNorm1d(9), Tanh(), Linear(9, 27, generator=g)]
    )
    assert all(p.requires_grad for p in ours.parameters())
    assert sum(p.numel() for p in ours.parameters()) == 27 * 4 + 12 * 9 + 9 + 2 * 9 + 9 * 27 + 27
    theirs = torch.nn.Sequential(
        torch.nn.Embedding(27, 4), torch.nn.Flatten(), torch.nn.Linear(12, 9),
        torch.nn.BatchNorm1d(9), torch.nn.Tanh(), torch.nn.Linear(9, 27),
    )  # fmt: skip
    with torch.no_grad():
        theirs[0].weight.copy_(ours.layers[0].weight)
        for i in (2, 5):
            theirs[i].weight.copy_(ours.layers[i].weight.T)
            theirs[i].bias.copy_(ours.layers[i].bias)
    x = torch.randint(0, 27, (32, 3), generator=g)
    assert torch.allclose(ours(x), theirs(x), atol=1e-5)
    ours.train(False)
    theirs.eval()
    assert ours.layers[3].training is False
    assert torch.allclose(ours(x[:1]), theirs(x[:1]), atol=1e-5)  # one example needs eval mode
    assert ours.train().layers[3].training is True
