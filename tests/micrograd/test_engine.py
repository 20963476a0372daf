"""The engine's values and gradients against torch.autograd in float64."""

from __future__ import annotations

import math
import sys

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zero_to_hero.micrograd import Value, topological_order

# name -> (arity, our operation, torch's operation). Inputs are kept where each operation is
# smooth: positive bases for fractional powers, no division by values near zero, no relu at 0.
OPS = {
    "add": (2, lambda a, b: a + b, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b, lambda a, b: a * b),
    "div": (2, lambda a, b: a / b, lambda a, b: a / b),
    "radd": (1, lambda a: 1.5 + a, lambda a: 1.5 + a),
    "rsub": (1, lambda a: 2.0 - a, lambda a: 2.0 - a),
    "rmul": (1, lambda a: -0.7 * a, lambda a: -0.7 * a),
    "rdiv": (1, lambda a: 3.0 / a, lambda a: 3.0 / a),
    "neg": (1, lambda a: -a, lambda a: -a),
    "square": (1, lambda a: a**2, lambda a: a**2),
    "cube": (1, lambda a: a**3, lambda a: a**3),
    "sqrt": (1, lambda a: (a * a + 1) ** 0.5, lambda a: (a * a + 1) ** 0.5),
    "exp": (1, lambda a: a.tanh().exp(), lambda a: a.tanh().exp()),
    "log": (1, lambda a: (a * a + 1).log(), lambda a: (a * a + 1).log()),
    "tanh": (1, lambda a: a.tanh(), lambda a: a.tanh()),
    "relu": (1, lambda a: a.relu(), lambda a: a.relu()),
}

leaf_values = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False).filter(
    lambda x: abs(x) > 0.05
)
steps = st.lists(
    st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 10**6), st.integers(0, 10**6)),
    min_size=1,
    max_size=25,
)


def build_both(leaves: list[float], program: list[tuple[str, int, int]]):
    """Run the same program on our values and on torch tensors; pick operands from all nodes so
    far, which creates shared sub-expressions (a node feeding several later nodes)."""
    ours = [Value(x) for x in leaves]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in leaves]
    nodes_ours, nodes_theirs = list(ours), list(theirs)
    for name, i, j in program:
        arity, op_ours, op_theirs = OPS[name]
        a, b = i % len(nodes_ours), j % len(nodes_ours)
        args = (a, b)[:arity]
        if name in {"div", "rdiv"}:
            assume(abs(nodes_ours[args[-1]].data) > 0.1)
        if name == "relu":
            assume(abs(nodes_ours[a].data) > 1e-6)
        out = op_ours(*(nodes_ours[k] for k in args))
        assume(math.isfinite(out.data) and abs(out.data) < 1e6)
        nodes_ours.append(out)
        nodes_theirs.append(op_theirs(*(nodes_theirs[k] for k in args)))
    # the output depends on the last few nodes, so many nodes have several users
    out_ours = sum(nodes_ours[-3:], Value(0.0))
    out_theirs = sum(nodes_theirs[-3:], torch.tensor(0.0, dtype=torch.float64))
    return ours, theirs, out_ours, out_theirs


@settings(max_examples=300, deadline=None)
@given(st.lists(leaf_values, min_size=1, max_size=4), steps)
def test_random_graphs_match_torch(leaves, program):
    ours, theirs, out_ours, out_theirs = build_both(leaves, program)
    out_ours.backward()
    out_theirs.backward()
    assert out_ours.data == pytest.approx(out_theirs.item(), rel=1e-9, abs=1e-12)
    for v, t in zip(ours, theirs, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_operation(name):
    arity, op_ours, op_theirs = OPS[name]
    inputs = [0.8, -1.3][:arity]
    ours = [Value(x) for x in inputs]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    out = op_ours(*ours)
    expected = op_theirs(*theirs)
    out.backward()
    expected.backward()
    assert out.data == pytest.approx(expected.item(), rel=1e-12)
    for v, t in zip(ours, theirs, strict=True):
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-15)


def test_relu_gradient_is_zero_for_negative_input():
    x = Value(-2.0)
    y = x.relu()
    y.backward()
    assert (y.data, x.grad) == (0.0, 0.0)


def test_pow_rejects_value_exponent():
    with pytest.raises(TypeError, match="int or float"):
        Value(2.0) ** Value(3.0)


def test_value_used_twice_accumulates():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0


def test_sanity_check_from_micrograd():
    # micrograd's test_sanity_check: exact equality with torch.
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert (y.data, x.grad) == (-20.0, 46.0)


def test_more_ops_from_micrograd():
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == pytest.approx(24.70408163265306, rel=1e-12)
    assert a.grad == pytest.approx(138.83381924198252, rel=1e-12)
    assert b.grad == pytest.approx(645.5772594752186, rel=1e-12)


def test_deep_chain_does_not_recurse():
    depth = 40_000
    assert depth > sys.getrecursionlimit()
    x = Value(1.0)
    y = x
    for _ in range(depth):
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001**depth, rel=1e-9)


def test_topological_order_puts_inputs_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    position = {id(v): i for i, v in enumerate(order)}
    assert len(order) == 4
    for node in order:
        for child in node._prev:
            assert position[id(child)] < position[id(node)]
