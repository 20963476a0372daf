"""The hand-written backward pass against autograd, in float64, on random shapes."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from zero_to_hero.makemore.backprop import (
    backward,
    batchnorm_backward,
    cross_entropy_backward,
    forward,
    fused_backward,
    init_params,
)

PARAMS = ("C", "W1", "b1", "W2", "b2", "bngain", "bnbias")


def _setup(n, vocab, block, n_embd, n_hidden, seed):
    g = torch.Generator().manual_seed(seed)
    params = init_params(vocab, block, n_embd, n_hidden, generator=g, dtype=torch.float64)
    X = torch.randint(0, vocab, (n, block), generator=g)
    Y = torch.randint(0, vocab, (n,), generator=g)
    loss, t = forward(params, X, Y)
    for tensor in t.values():
        tensor.retain_grad()
    loss.backward()
    return params, X, Y, t


def _close(ours: torch.Tensor, reference: torch.Tensor, scale: float) -> bool:
    """Equal to 1e-10 relative. The absolute floor, 1e-10 of the largest gradient in the graph,
    covers gradients that are exactly zero in exact arithmetic (b1 before BatchNorm): both sides
    are then rounding noise, which grows with the size of the gradients being summed."""
    return ours.shape == reference.shape and torch.allclose(
        ours, reference, rtol=1e-10, atol=1e-10 * scale
    )


def _scale(params, t) -> float:
    grads = [p.grad for p in params.values()] + [x.grad for x in t.values()]
    return max(g.abs().max().item() for g in grads)


shapes = st.tuples(
    st.integers(2, 40),  # batch
    st.integers(2, 30),  # vocabulary
    st.integers(1, 5),  # block size
    st.integers(1, 12),  # embedding
    st.integers(1, 50),  # hidden
    st.integers(0, 2**31),
)


@settings(max_examples=60, deadline=None)
@given(shapes)
def test_every_intermediate_matches_autograd(shape):
    params, X, Y, t = _setup(*shape)
    d = backward(params, X, Y, t)
    scale = _scale(params, t)
    for name, tensor in t.items():
        assert _close(d[name], tensor.grad, scale), name
    for name in PARAMS:
        assert _close(d[name], params[name].grad, scale), name


@settings(max_examples=60, deadline=None)
@given(shapes)
def test_fused_backward_matches_autograd(shape):
    params, X, Y, t = _setup(*shape)
    d = fused_backward(params, X, Y, t)
    assert sorted(d) == sorted(PARAMS)
    scale = _scale(params, t)
    for name in PARAMS:
        assert _close(d[name], params[name].grad, scale), name


def test_one_expression_gradients():
    params, _, Y, t = _setup(32, 27, 3, 10, 64, seed=1)
    scale = _scale(params, t)
    assert _close(cross_entropy_backward(t["logits"].detach(), Y), t["logits"].grad, scale)
    dhprebn = batchnorm_backward(t["hpreact"].grad, params["bngain"], t["bnvar_inv"], t["bnraw"])
    assert _close(dhprebn, t["hprebn"].grad, scale)


def test_cross_entropy_gradient_rows_sum_to_zero():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(5, 7, generator=g, dtype=torch.float64)
    d = cross_entropy_backward(logits, torch.tensor([0, 1, 2, 3, 4]))
    assert d.sum(1).abs().max().item() < 1e-15


def test_lecture_shapes_and_parameter_count():
    params = init_params(n_hidden=64)
    assert sum(p.nelement() for p in params.values()) == 4_137
    assert sum(p.nelement() for p in init_params(n_hidden=200).values()) == 12_297


def test_forward_loss_matches_cross_entropy():
    params, X, Y, t = _setup(16, 27, 3, 10, 64, seed=2)
    loss, _ = forward(params, X, Y)
    expected = torch.nn.functional.cross_entropy(t["logits"], Y)
    assert loss.item() == pytest.approx(expected.item(), rel=1e-12)
