"""A scalar-valued autograd engine, as built in lecture 1.

Every operation records its inputs and the *local* derivative of its output with respect to each
input. ``backward`` then applies the chain rule once per edge, in reverse topological order:
``child.grad += local_derivative * node.grad``. The lecture stores a ``_backward`` closure per node
instead; storing the numbers is the same mathematics, shorter to read, and faster, because no
closure is created for every node of every forward pass (with ``__slots__`` and an iterative
topological sort, micrograd's moons demo runs several times faster: ``benchmarks/``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Protocol, Self, TypeVar

Number = int | float


class Node(Protocol):
    """Anything with inputs in ``_prev``: our ``Value``, or the one a tutorial builds by hand."""

    @property
    def _prev(self) -> Iterable[Self]: ...


N = TypeVar("N", bound=Node)


def topological_order(root: N) -> list[N]:
    """Every node ``root`` depends on, each listed after all of its inputs.

    Iterative rather than recursive, so that a graph as deep as a 40,000-step chain does not hit
    Python's recursion limit.
    """
    order: list[N] = []
    visited: set[int] = set()
    stack: list[tuple[N, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev if id(child) not in visited)
    return order


class Value:
    """A scalar in a computation graph, with the gradient of the final output with respect to it."""

    __slots__ = ("data", "grad", "label", "_op", "_prev", "_local_grads")

    def __init__(
        self,
        data: Number,
        _children: tuple[Value, ...] = (),
        _op: str = "",
        _local_grads: tuple[float, ...] = (),
        label: str = "",
    ) -> None:
        self.data = data
        self.grad = 0.0
        self.label = label
        self._op = _op
        self._prev = _children
        self._local_grads = _local_grads

    # ----- the operations, each with its local derivatives -----

    def __add__(self, other: Value | Number) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other: Value | Number) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __pow__(self, exponent: Number) -> Value:
        if not isinstance(exponent, int | float):
            raise TypeError(
                f"only int or float exponents are supported, got {type(exponent).__name__}"
            )
        return Value(
            self.data**exponent, (self,), f"**{exponent}", (exponent * self.data ** (exponent - 1),)
        )

    def exp(self) -> Value:
        out = math.exp(self.data)
        return Value(out, (self,), "exp", (out,))

    def log(self) -> Value:
        return Value(math.log(self.data), (self,), "log", (1.0 / self.data,))

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", (1.0 - t * t,))

    def relu(self) -> Value:
        positive = self.data > 0
        return Value(self.data if positive else 0.0, (self,), "ReLU", (1.0 if positive else 0.0,))

    # ----- everything else is built from the operations above -----

    def __neg__(self) -> Value:
        return self * -1

    def __sub__(self, other: Value | Number) -> Value:
        return self + (-other)

    def __truediv__(self, other: Value | Number) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return self * other**-1

    def __radd__(self, other: Number) -> Value:
        return self + other

    def __rmul__(self, other: Number) -> Value:
        return self * other

    def __rsub__(self, other: Number) -> Value:
        return Value(other) - self

    def __rtruediv__(self, other: Number) -> Value:
        return Value(other) / self

    # ----- backpropagation -----

    def backward(self) -> None:
        """Fill ``grad`` of every node in the graph with d(self)/d(node).

        Gradients accumulate (``+=``): a node used twice receives a contribution from each use,
        which is why ``zero_grad`` must run before each new backward pass.
        """
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            for child, local_grad in zip(node._prev, node._local_grads):
                child.grad += local_grad * node.grad

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"
