# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lecture 1: micrograd, backpropagation from scratch
#
# In this lecture we build **micrograd**: an automatic-differentiation engine over single numbers
# (scalars), and a small neural-network library on top of it. By the end we train a network with
# two hidden layers to separate two interleaving half-moons, with every gradient computed by code we wrote
# and checked against PyTorch.
#
# *Follows Andrej Karpathy's video
# [The spelled-out intro to neural networks and backpropagation](https://www.youtube.com/watch?v=VMj-3S1tku0)
# and his repository [karpathy/micrograd](https://github.com/karpathy/micrograd).*
#
# What you will build, in order:
#
# 1. derivatives by nudging inputs (finite differences);
# 2. a `Value` object that remembers how it was computed, and drawings of its computation graph;
# 3. backpropagation by hand, then automatically in reverse topological order;
# 4. the bug that appears when a value is used twice, and its fix;
# 5. the same neuron in PyTorch, with equal numbers;
# 6. `Neuron`, `Layer` and `MLP`, trained first on four examples and then on the moons data set.
#
# Every number of ours on this page was computed when the page was built (Karpathy's reference
# numbers are quoted as his); the ones that matter are asserted, so a wrong result fails the build
# instead of being published.

# %% tags=["setup"]
# Run it yourself: this notebook needs the course package, zero_to_hero. This cell checks that it
# is installed; in Colab it installs it. Elsewhere, install it as "Run it yourself" on the
# lecture's page says, or set INSTALL = True to let this cell install it from the repository.
import subprocess
import sys

REPO_URL = ""  # the course repository (empty: not published yet)
INSTALL = False
COMMAND = "pip install zero_to_hero-0.1.0-py3-none-any.whl torch==2.13.0 numpy==2.4.6 matplotlib==3.11.2 regex==2026.11.15 tiktoken==0.14.0 tqdm==4.70.1 sentencepiece==0.2.3"

try:
    import zero_to_hero
except ModuleNotFoundError:
    if not (REPO_URL and (INSTALL or "google.colab" in sys.modules)):
        hint = f", or set INSTALL = True to install it from {REPO_URL}" if REPO_URL else ""
        raise ModuleNotFoundError(
            "zero_to_hero is not installed: download its wheel from the lecture's page and run "
            f"{COMMAND}{hint}"
        ) from None
    package = f"zero-to-hero @ git+{REPO_URL}"
    print(f"zero_to_hero is not installed; installing {package}")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
    import zero_to_hero
print(f"zero_to_hero {zero_to_hero.__version__}")

# %%
import math
import random
import time

import matplotlib.pyplot as plt
import numpy as np
import torch

# %% [markdown]
# ## 1. Derivatives, by nudging
#
# A derivative answers: if I nudge the input by a tiny $h$, how much does the output move, per unit
# of nudge?
#
# $$f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}$$
#
# Take $f(x) = 3x^2 - 4x + 5$.


# %%
def f(x):
    return 3 * x**2 - 4 * x + 5


f(3.0)

# %% [markdown]
# The curve below is a parabola: the slope is negative left of the minimum, zero at it, positive
# to the right.

# %% alt="Line plot of f(x) = 3x^2 - 4x + 5 for x from -5 to 5: a parabola with its minimum of about 3.7 near x = 0.67, rising to 100 at x = -5 and about 54 at x = 4.75."
xs = np.arange(-5, 5, 0.25)
plt.figure(figsize=(5, 3))
plt.plot(xs, f(xs))
plt.xlabel("x")
plt.ylabel("f(x)")
plt.grid(alpha=0.3)
plt.show()

# %% [markdown]
# The analytic derivative is $f'(x) = 6x - 4$: 14 at $x = 3$, $-22$ at $x = -3$ and 0 at
# $x = 2/3$. A small step $h$ recovers these numbers, up to an error of order $h$.

# %%
h = 0.0001
for x in [3.0, -3.0, 2 / 3]:
    slope = (f(x + h) - f(x)) / h
    print(f"x = {x:+.4f}: numerical {slope:+.6f}, analytic {6 * x - 4:+.6f}")
    assert abs(slope - (6 * x - 4)) < 10 * h

# %% [markdown]
# With several inputs each one has its own derivative. For $d = a b + c$ at $a = 2$, $b = -3$,
# $c = 10$, nudging $a$ moves $d$ by $b = -3$ per unit, nudging $b$ by $a = 2$, and nudging $c$
# by 1.

# %%
a, b, c = 2.0, -3.0, 10.0
d1 = a * b + c
for name in "abc":
    bumped = {"a": a, "b": b, "c": c}
    bumped[name] += h
    d2 = bumped["a"] * bumped["b"] + bumped["c"]
    print(f"d = {d1}, bump {name}: d2 = {d2:.6f}, slope {(d2 - d1) / h:.6f}")

# %% [markdown]
# ## 2. A value that remembers where it came from
#
# A neural network is a big mathematical expression. To get the derivative of its loss with
# respect to every weight, each intermediate number must remember which numbers produced it and
# by which operation. That is all `Value` is: the number (`data`), the derivative of the final
# output with respect to it (`grad`, zero until we compute it), its inputs (`_prev`), the
# operation (`_op`), and a function `_backward` that passes the gradient on to the inputs
# (the chain rule, one operation at a time).
#
# This is the lecture's class. (The lecture keeps the inputs in a `set`; we keep a tuple, so that
# graphs are drawn the same way every time the page is built.)


# %%
class Value:
    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out


# %% [markdown]
# The lecture's running example: $L = (a b + c) f$.

# %%
a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = Value(10.0, label="c")
e = a * b
e.label = "e"
d = e + c
d.label = "d"
f = Value(-2.0, label="f")
L = d * f
L.label = "L"
L

# %% [markdown]
# `draw_graph` from the package draws any such graph: a box per value (label, data, grad) and a
# circle per operation. The lecture uses Graphviz, which needs a system program; this drawing is
# plain matplotlib, so it works wherever the package installs. All grads are still zero.

# %% tags=["scroll-output"] alt="Computation graph drawn left to right: leaves a = 2 and b = -3 feed a x node giving e = -6; e and c = 10 feed a + node giving d = 4; d and f = -2 feed a x node giving L = -8. Every grad is still 0."
from zero_to_hero.micrograd import draw_graph

draw_graph(L)

# %% [markdown]
# ## 3. Backpropagation by hand
#
# Start at the output: $\partial L / \partial L = 1$. Since $L = d \cdot f$, we get
# $\partial L/\partial d = f = -2$ and $\partial L/\partial f = d = 4$.
#
# One level down, $d = e + c$: the local derivative of a sum with respect to each input is 1,
# so by the **chain rule**
# $\frac{\partial L}{\partial c} = \frac{\partial L}{\partial d}\frac{\partial d}{\partial c}
# = -2 \cdot 1$, and the same for $e$. A plus node routes its gradient unchanged to its inputs.
#
# Then $e = a b$: $\partial L/\partial a = \partial L/\partial e \cdot b = -2 \cdot -3 = 6$ and
# $\partial L/\partial b = -2 \cdot 2 = -4$.

# %%
L.grad = 1.0
d.grad, f.grad = f.data, d.data
c.grad = e.grad = d.grad
a.grad, b.grad = e.grad * b.data, e.grad * a.data
{v.label: v.grad for v in [L, d, f, c, e, a, b]}

# %% [markdown]
# The drawing now shows every gradient.

# %% tags=["scroll-output"] alt="Computation graph drawn left to right: the same graph, L = (a*b + c)*f = -8, after backpropagation by hand: grad of L is 1, d -2, f 4, c -2, e -2, a 6 and b -4."
draw_graph(L)

# %% [markdown]
# A numerical check, as in the lecture: rebuild the expression with $b$ nudged by $h$ and measure
# how much $L$ moves. It agrees with $-4$.


# %%
def expression_L(bump_b=0.0):
    a, b, c, f = Value(2.0), Value(-3.0 + bump_b), Value(10.0), Value(-2.0)
    return ((a * b + c) * f).data


h = 0.001
numerical = (expression_L(h) - expression_L()) / h
print(numerical)
assert abs(numerical - b.grad) < 1e-6

# %% [markdown]
# Gradients tell us which way to nudge the inputs to make $L$ go up. One small step along them
# (this is what an optimiser does) raises $L$ from $-8$:

# %%
for leaf in [a, b, c, f]:
    leaf.data += 0.01 * leaf.grad
e = a * b
d = e + c
L = d * f
print(L.data)

# %% [markdown]
# ## 4. A neuron
#
# A neuron computes a weighted sum of its inputs plus a bias, $n = \sum_i w_i x_i + b$, and passes
# it through a squashing function. The lecture uses $\tanh$, which maps any number into
# $(-1, 1)$:

# %% alt="Line plot of tanh(x) for x from -5 to 5: an S-shaped curve through the origin, flat at -1 on the left and at 1 on the right, steepest at 0."
xs = np.arange(-5, 5, 0.2)
plt.figure(figsize=(5, 3))
plt.plot(xs, np.tanh(xs))
plt.grid()
plt.title("tanh")
plt.show()

# %% [markdown]
# `tanh` is one more operation for `Value`, with local derivative $1 - \tanh^2(n)$. Python lets us
# attach a method to the class after the fact (the lecture re-runs the whole class cell instead).


# %%
def tanh(self):
    t = math.tanh(self.data)
    out = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


Value.tanh = tanh

# %% [markdown]
# The lecture's neuron, with a bias chosen so that the output comes out at a round number:
# $n = 0.8814$, $o = \tanh(n) = 0.7071 = 1/\sqrt 2$.


# %%
def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {v.label: v for v in [x1, x2, w1, w2, b, x1w1, x2w2, x1w1x2w2, n]}


o, nodes = neuron()
print(f"n = {nodes['n'].data:.4f}, o = {o.data:.4f}")

# %% [markdown]
# Now call each node's `_backward` by hand, from the output back, after seeding $do/do = 1$:

# %%
o.grad = 1.0
o._backward()  # into n: 1 - o**2 = 0.5
nodes["n"]._backward()  # into b and x1*w1 + x2*w2: a + passes 0.5 on unchanged
nodes["x1*w1 + x2*w2"]._backward()  # into x1*w1 and x2*w2
nodes["x1*w1"]._backward()  # into x1 and w1
nodes["x2*w2"]._backward()  # into x2 and w2
{name: round(v.grad, 6) for name, v in nodes.items()}

# %% [markdown]
# Read it as the neuron would: $x_2$ is zero, so its weight cannot matter ($\partial o/\partial w_2 = 0$);
# $x_1 = 2$, so $w_1$'s gradient is $2 \times 0.5 = 1$.

# %% tags=["scroll-output"] alt="Computation graph drawn left to right: a neuron with inputs x1 = 2, x2 = 0, weights w1 = -3, w2 = 1 and bias b = 6.8814; the products x1*w1 = -6 and x2*w2 = 0 are summed with b into n = 0.8814, and tanh gives o = 0.7071. After backward: grad of o is 1, n 0.5, b 0.5, x1 -1.5, w1 1, x2 0.5, w2 0."
draw_graph(o)

# %% [markdown]
# ## 5. Backward for the whole graph: topological order
#
# Calling `_backward` by hand only works if every node is visited *after* all the nodes that use
# it. A **topological sort** lists the nodes so that each comes after its inputs; walking that
# list in reverse gives the right order. This is the lecture's recursive version:


# %%
def build_topo(root):
    topo, visited = [], set()

    def visit(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                visit(child)
            topo.append(v)

    visit(root)
    return topo


def backward(self):
    self.grad = 1.0
    for node in reversed(build_topo(self)):
        node._backward()


Value.backward = backward

o, nodes = neuron()
print([v.label for v in build_topo(o)])
o.backward()
grads = {name: round(nodes[name].grad, 6) for name in ["x1", "x2", "w1", "w2", "b", "n"]}
print(grads)
assert grads == {"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5, "n": 0.5}

# %% [markdown]
# ## 6. The bug when a value is used twice
#
# Suppose `_backward` *assigned* the gradient (`=`) instead of adding to it (`+=`). Then in
# $b = a + a$ the second input overwrites the first, and $db/da$ comes out 1 instead of 2:


# %%
class AssigningValue(Value):
    def __add__(self, other):
        out = AssigningValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = 1.0 * out.grad  # overwrites instead of accumulating
            other.grad = 1.0 * out.grad

        out._backward = _backward
        return out


a = AssigningValue(3.0, label="a")
b = a + a
b.label = "b"
b.backward()
print("with  = : a.grad =", a.grad)
assert a.grad == 1.0  # wrong: b = 2a, so db/da is 2

# %% [markdown]
# The drawing shows the problem: both inputs of the `+` node are the same box `a` (its two edges
# coincide, so one arrow is drawn), and with `=` the second input's gradient replaced the first's,
# so `a` shows grad 1.

# %% tags=["scroll-output"] alt="Computation graph drawn left to right: a single leaf a = 3 feeds a + node twice, giving b = 6. With the assigning backward, grad of b is 1 and grad of a is 1, which is wrong."
draw_graph(b)

# %% [markdown]
# With `+=`, each edge adds its share, and `a` gets $1 + 1 = 2$:

# %% tags=["scroll-output"] alt="Computation graph drawn left to right: the same graph, a = 3 feeding a + node twice into b = 6, with the accumulating backward: grad of b is 1 and grad of a is 2, the correct derivative of 2a."
a = Value(3.0, label="a")
b = a + a
b.label = "b"
b.backward()
print("with += : a.grad =", a.grad)
assert a.grad == 2.0
draw_graph(b)

# %% [markdown]
# The multivariable chain rule says: when a value feeds several uses, its gradient is the *sum*
# of the gradients arriving from each use. The second example of the lecture,
# $f = (a b)(a + b)$ at $a = -2$, $b = 3$, needs exactly that:

# %% tags=["scroll-output"] alt="Computation graph drawn left to right: a = -2 and b = 3 each feed both a + node, e = 1, and a x node, d = -6; d and e feed a x node giving f = -6. Because a and b are used twice their gradients add up: a.grad = -3, b.grad = -8."
a, b = Value(-2.0, label="a"), Value(3.0, label="b")
d = a * b
d.label = "d"
e = a + b
e.label = "e"
f = d * e
f.label = "f"
f.backward()
print(f"a.grad = {a.grad}, b.grad = {b.grad}")
assert (a.grad, b.grad) == (-3.0, -8.0)
draw_graph(f)

# %% [markdown]
# ## 7. More operations: breaking tanh into pieces
#
# $\tanh$ need not be a primitive: $\tanh(n) = \frac{e^{2n} - 1}{e^{2n} + 1}$. To write it that
# way `Value` needs `exp`, division, subtraction, and arithmetic with plain numbers on either side
# (`2 * n` calls `int.__mul__`, which returns `NotImplemented`, and then Python tries `n.__rmul__(2)`). Division is
# multiplication by a power, $a / b = a \cdot b^{-1}$, and subtraction is adding a negation.


# %%
def exp(self):
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad  # d/dx e^x = e^x

    out._backward = _backward
    return out


def __pow__(self, k):
    assert isinstance(k, int | float), "only int/float powers"
    out = Value(self.data**k, (self,), f"**{k}")

    def _backward():
        self.grad += k * self.data ** (k - 1) * out.grad

    out._backward = _backward
    return out


Value.exp = exp
Value.__pow__ = __pow__
Value.__truediv__ = lambda self, other: self * other**-1
Value.__neg__ = lambda self: self * -1
Value.__sub__ = lambda self, other: self + (-other)
Value.__radd__ = lambda self, other: self + other
Value.__rmul__ = lambda self, other: self * other

# %% [markdown]
# The neuron again, with $o$ computed through `exp` and division. The graph is longer but the
# gradients of the inputs are the same as before: backpropagation does not care how finely an
# expression is cut, as long as each piece knows its local derivative.

# %% tags=["scroll-output"] alt="Computation graph drawn left to right: the same neuron with tanh split into exp, +, -, power -1 and x nodes: n = 0.8814, 2n = 1.7627, e = exp(2n) = 5.8284, e - 1 = 4.8284, 1/(e + 1) = 0.1464, o = 0.7071; the leaf gradients are the same as with the single tanh node (x1 -1.5, w1 1, x2 0.5, w2 0, b 0.5)."
x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
b = Value(6.8813735870195432, label="b")
n = x1 * w1 + x2 * w2 + b
n.label = "n"
e = (2 * n).exp()
e.label = "e"
o = (e - 1) / (e + 1)
o.label = "o"
o.backward()
split_grads = {v.label: round(v.grad, 6) for v in [x1, x2, w1, w2, b]}
print(split_grads)
assert split_grads == {"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5}
draw_graph(o)

# %% [markdown]
# ## 8. The same neuron in PyTorch
#
# PyTorch does the same thing with tensors instead of scalars. With float64 leaves that require
# gradients, its numbers agree with ours to the last digit or so (each library rounds in its own
# order):

# %%
tx1 = torch.tensor([2.0], dtype=torch.double, requires_grad=True)
tx2 = torch.tensor([0.0], dtype=torch.double, requires_grad=True)
tw1 = torch.tensor([-3.0], dtype=torch.double, requires_grad=True)
tw2 = torch.tensor([1.0], dtype=torch.double, requires_grad=True)
tb = torch.tensor([6.8813735870195432], dtype=torch.double, requires_grad=True)
to = torch.tanh(tx1 * tw1 + tx2 * tw2 + tb)
to.backward()

print("o", to.item())
for name, t in [("x1", tx1), ("x2", tx2), ("w1", tw1), ("w2", tw2)]:
    print(name, t.grad.item())
    assert math.isclose(t.grad.item(), split_grads[name], abs_tol=1e-6)
assert math.isclose(to.item(), o.data, rel_tol=1e-12)

# %% [markdown]
# (The lecture prints 0.7071066904050358 here, slightly off, because it created the tensors in
# float32 and converted them with `.double()` afterwards; creating them as float64 gives
# 0.7071067811865476 = $1/\sqrt 2$.)
#
# ### Where PyTorch keeps tanh's backward
#
# PyTorch's `tanh` is the same idea at scale: the forward call records a node in the graph, and
# that node knows the local derivative. The node is the tensor's `grad_fn`:

# %%
print(type(to.grad_fn).__name__, "<-", [type(fn).__name__ for fn, _ in to.grad_fn.next_functions])
assert type(to.grad_fn).__name__ == "TanhBackward0"

# %% [markdown]
# Its backward formula is not hand-written in Python. In PyTorch's source,
# `tools/autograd/derivatives.yaml` pairs each operator with the derivative of each input, and a
# code generator writes the C++ graph nodes (`TanhBackward0`) from it. A copy of that file ships
# with PyTorch in the `torchgen` package, so we can read the entry for `tanh`:

# %%
from pathlib import Path

import torchgen

yaml_path = Path(torchgen.__file__).parent / "packaged" / "autograd" / "derivatives.yaml"
lines = yaml_path.read_text().splitlines()
start = lines.index("- name: tanh(Tensor self) -> Tensor")
print("\n".join(lines[start : start + 3]))
assert lines[start + 1].strip() == "self: tanh_backward(grad, result)"

# %% [markdown]
# `self: tanh_backward(grad, result)` says: the gradient of the input is computed from the incoming
# gradient and the forward's *result* $t$, exactly like our `_backward`, which reused `t` to form
# $(1 - t^2) \cdot$ `out.grad`. `tanh_backward` is itself an operator we can call; it agrees
# with $1 - t^2$ to rounding (it computes $\text{grad} \cdot (1 - t^2)$ in its own order):

# %%
t = to.detach()
print("tanh_backward:", torch.ops.aten.tanh_backward(torch.ones_like(t), t).item())
print("1 - t**2:     ", (1 - t**2).item())
assert torch.allclose(torch.ops.aten.tanh_backward(torch.ones_like(t), t), 1 - t**2)

# %% [markdown]
# ### A new operation in PyTorch
#
# To add our own operation to PyTorch's autograd, without touching C++, subclass
# `torch.autograd.Function` and write two static methods: `forward` computes the output and saves
# what backward will need (`ctx.save_for_backward`); `backward` receives the gradient of the output
# and returns the gradient of each input. Here is our tanh, written that way:


# %%
class MyTanh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        t = torch.tanh(x)
        ctx.save_for_backward(t)
        return t

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return (1 - t**2) * grad_output


# %% [markdown]
# `torch.autograd.gradcheck` compares the gradients our `backward` returns with finite differences
# of `forward` (it needs float64, where the differences are accurate), and the neuron through
# `MyTanh.apply` gives the same gradients as through `torch.tanh`:

# %%
torch.manual_seed(0)
xcheck = torch.randn(5, dtype=torch.double, requires_grad=True)
print("gradcheck:", torch.autograd.gradcheck(MyTanh.apply, (xcheck,)))

for t in [tx1, tx2, tw1, tw2, tb]:
    t.grad = None
my_o = MyTanh.apply(tx1 * tw1 + tx2 * tw2 + tb)
my_o.backward()
print("o", my_o.item(), "grad_fn", type(my_o.grad_fn).__name__)
for name, t in [("x1", tx1), ("x2", tx2), ("w1", tw1), ("w2", tw2)]:
    assert math.isclose(t.grad.item(), split_grads[name], abs_tol=1e-6)
assert my_o.item() == to.item()

# %% [markdown]
# ## 9. A neural-network library
#
# A neuron holds weights and a bias; a layer is a list of neurons that all see the same inputs; a
# multi-layer perceptron (MLP) is a list of layers, each feeding the next. This is the lecture's
# version, with $\tanh$ everywhere:


# %%
class Neuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP:
    def __init__(self, nin, nouts):
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


random.seed(1337)
n = MLP(3, [4, 4, 1])
print(len(n.parameters()), "parameters")
assert len(n.parameters()) == 3 * 4 + 4 + 4 * 4 + 4 + 4 * 1 + 1 == 41

# %% [markdown]
# A tiny data set of four examples and their targets, and the loss: the sum of squared errors,
# which is zero only if every prediction hits its target.

# %%
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]


def train(model, steps, lr=0.1, zero_grad=True):
    losses = []
    for _ in range(steps):
        ypred = [model(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        if zero_grad:
            for p in model.parameters():
                p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data += -lr * p.grad
        losses.append(loss.data)
    return losses, [y.data for y in ypred]


losses, ypred = train(n, 20)
print("loss:", " ".join(f"{x:.4f}" for x in losses[::4]), "...", f"{losses[-1]:.4f}")
print("predictions:", [round(y, 3) for y in ypred])
assert losses[-1] < 0.1 * losses[0]

# %% [markdown]
# Gradient descent: evaluate, zero the gradients, backpropagate, step every parameter a little
# *against* its gradient (we want the loss to go down), repeat. Twenty steps bring the predictions
# close to the targets $[1, -1, -1, 1]$.
#
# **The classic bug**: forget to zero the gradients. Because `_backward` accumulates, each step then
# uses the sum of all the gradients so far, an ever-growing step in a stale direction. From the
# same starting weights:

# %% alt="Loss over 20 training steps, two curves from 6: with zero_grad=True it falls smoothly to near 0; with zero_grad=False it falls faster but jumps back up to about 3.8 at step 11 before dropping again."
curves = {}
for zero_grad in [True, False]:
    random.seed(1337)
    curves[zero_grad], _ = train(MLP(3, [4, 4, 1]), 20, zero_grad=zero_grad)
    plt.plot(curves[zero_grad], label=f"zero_grad={zero_grad}")
plt.xlabel("step")
plt.ylabel("loss")
plt.legend()
plt.show()
for zero_grad, curve in curves.items():
    print(f"zero_grad={zero_grad!s:5}:", " ".join(f"{x:.2f}" for x in curve))
forgetful = curves[False]
spike = max(range(5, 20), key=lambda k: forgetful[k])
assert forgetful[spike] > 10 * min(forgetful[:spike])

# %% [markdown]
# In this run the forgetful version even falls *faster* at first: the accumulated gradients point
# roughly the right way and act like momentum. But the steps keep growing, and it overshoots: the
# loss jumps back up by more than ten times (the spike in the curve, asserted above) before it
# settles. On real problems such oversized steps break training. Always zero the gradients before
# `backward()`.
#
# ## 10. The tested engine: zero_to_hero.micrograd
#
# Everything above now lives in the package, tested against `torch.autograd` on hundreds of
# random expressions at every test run. Two differences are worth knowing:
#
# * Each operation stores its **local derivatives** as numbers, and `backward` multiplies them
#   along every edge (`child.grad += local * node.grad`). That is the same chain rule without
#   creating a closure per node, and makes the engine faster than micrograd 0.1.0 from PyPI
#   (`make benchmark` measures by how much, on the moons training below).
# * The topological sort is **iterative**. The recursive `build_topo` above needs one Python
#   stack frame per node of depth, so a long chain overflows:

# %%
from zero_to_hero import micrograd

chain = micrograd.Value(1.0)
y = chain
for _ in range(40_000):
    y = y * 1.0 + 0.0
y.backward()
print("package engine, 80,001 nodes deep: grad =", chain.grad)
assert chain.grad == 1.0

# %%
z = Value(1.0)  # the class we built above
for _ in range(40_000):
    z = z * 1.0 + 0.0
try:
    z.backward()
except RecursionError as err:
    print("lecture engine: RecursionError:", err)

# %% [markdown]
# The package's `Value` has the operations of the lecture (`+ - * / **`, `exp`, `tanh`, reflected
# operators) plus `relu` and `log`. A quick check on the expression from micrograd's README, whose
# published values are $g = 24.7041$, $\partial g/\partial a = 138.8338$,
# $\partial g/\partial b = 645.5773$:

# %%
a = micrograd.Value(-4.0)
b = micrograd.Value(2.0)
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
print(f"g = {g.data:.4f}, dg/da = {a.grad:.4f}, dg/db = {b.grad:.4f}")
assert math.isclose(g.data, 24.70408163265306, rel_tol=1e-12)
assert math.isclose(a.grad, 138.83381924198252, rel_tol=1e-12)
assert math.isclose(b.grad, 645.5772594752186, rel_tol=1e-12)

# %% [markdown]
# ## 11. A real task: the moons
#
# micrograd's demo trains a classifier on 100 points of two interleaving half-moons with a little
# noise. `zero_to_hero.micrograd.moons.make_moons` draws them exactly as scikit-learn does after
# `np.random.seed(1337)` (so the course needs no scikit-learn), with labels $-1$ and $+1$.

# %% alt="Scatter plot of the 100-point two-moons data set: one class in dark blue on an upper arc from x = -1 to 1, the other in dark red on a lower arc from x = 0 to 2, interlocking."
from zero_to_hero.micrograd.moons import make_moons

X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
plt.figure(figsize=(5, 5))
plt.scatter(X[:, 0], X[:, 1], c=y, s=20, cmap="jet")
plt.show()

# %% [markdown]
# No straight line separates the two classes, so the model needs hidden layers. The package's
# `MLP` follows micrograd's: ReLU hidden layers and a *linear* last layer, whose output is a score
# (positive means class $+1$). Two hidden layers of 16 give 337 parameters.

# %%
random.seed(1337)
model = micrograd.MLP(2, [16, 16, 1])
print([f"{len(layer.neurons)} x {layer.neurons[0]}" for layer in model.layers])
print(len(model.parameters()), "parameters")
assert len(model.parameters()) == 337

# %% [markdown]
# The loss is the **max-margin** (hinge) loss of a support vector machine: an example costs nothing
# once its score has the right sign with a margin of at least 1,
# $\ell_i = \max(0, 1 - y_i s_i)$, plus a small L2 penalty $\alpha \sum_j w_j^2$ that prefers small
# weights. Accuracy counts the points whose score has the sign of their label.


# %%
def loss_and_accuracy(model, X, y, alpha=1e-4):
    inputs = [[micrograd.Value(float(v)) for v in row] for row in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -float(yi) * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in model.parameters())
    accuracy = sum((yi > 0) == (si.data > 0) for yi, si in zip(y, scores)) / len(y)
    return data_loss + reg_loss, accuracy


loss, acc = loss_and_accuracy(model, X, y)
print(f"before training: loss {loss.data:.4f}, accuracy {acc:.0%}")

# %% [markdown]
# One hundred steps of full-batch gradient descent, with the learning rate decayed linearly from
# 1.0 to 0.1 as in the demo:

# %%
start = time.perf_counter()
history = []
for k in range(100):
    loss, acc = loss_and_accuracy(model, X, y)
    model.zero_grad()
    loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    history.append((loss.data, acc))
    if k % 10 == 0 or k == 99:
        print(f"step {k:3d} loss {loss.data:.6f}, accuracy {acc:.0%}")
seconds = time.perf_counter() - start
print(f"100 steps in {seconds:.1f} s")

# %% [markdown]
# Karpathy's demo notebook (his reference numbers) starts at loss 0.8958441028683222 with 50%
# accuracy, first reaches 100% at step 40 and ends at loss 0.010978370135492717. Same points, same
# initial weights (`random.seed(1337)` draws them in the same order), same arithmetic: our engine
# reproduces his run to the last digits.

# %% tags=["headline"]
final_loss, final_acc = history[-1]
first_perfect = next(k for k, (_, a) in enumerate(history) if a == 1.0)
print(f"final loss {final_loss:.6f}, accuracy {final_acc:.0%}, 100% first at step {first_perfect}")
print("Karpathy: final loss 0.010978, accuracy 100%, 100% first at step 40")
assert math.isclose(history[0][0], 0.8958441028683222, rel_tol=1e-9)
assert math.isclose(final_loss, 0.010978370135492717, rel_tol=1e-6)
assert final_acc == 1.0 and first_perfect == 40

# %% [markdown]
# The loss curve (log scale) first jumps up (the first step overshoots), falls steeply within a
# few steps, bounces on its way down, and flattens near its final value over the last twenty steps
# (the printed losses below the figure).

# %% alt="Training loss of the MLP on the moons over 100 steps, on a log scale: from about 0.9, a brief rise at step 1, then down to about 0.01, flat from step 85."
plt.figure(figsize=(5, 3))
plt.semilogy([l for l, _ in history])
plt.xlabel("step")
plt.ylabel("loss")
plt.grid(alpha=0.3)
plt.show()
curve = [l for l, _ in history]
print(f"step 0 {curve[0]:.4f}, step 1 {curve[1]:.4f}, step 5 {curve[5]:.4f}, "
      f"steps 80-99 between {min(curve[80:]):.4f} and {max(curve[80:]):.4f}")  # fmt: skip
assert curve[1] > curve[0] and curve[5] < curve[0]
assert max(curve[80:]) < 1.5 * min(curve[80:])

# %% [markdown]
# Finally, the decision boundary: we evaluate the trained network on a grid covering the plane and
# colour each point by the sign of its score. The boundary bends around both moons, and every
# training point sits on its own side.

# %% alt="Decision boundary of the trained MLP over the plane: an orange region and a green region separated by a curved boundary that follows the gap between the two moons; every red point lies in the orange region and every purple point in the green one." dark="keep-colours"
step = 0.1
x_min, x_max = X[:, 0].min() - 1, X[:, 0].max() + 1
y_min, y_max = X[:, 1].min() - 1, X[:, 1].max() + 1
xx, yy = np.meshgrid(np.arange(x_min, x_max, step), np.arange(y_min, y_max, step))
grid = np.c_[xx.ravel(), yy.ravel()]
scores = [model([micrograd.Value(float(u)), micrograd.Value(float(v))]).data for u, v in grid]
Z = (np.array(scores) > 0).reshape(xx.shape)

plt.figure(figsize=(5, 5))
plt.contourf(xx, yy, Z, cmap=plt.cm.Spectral, alpha=0.8)
plt.scatter(X[:, 0], X[:, 1], c=y, s=40, cmap=plt.cm.Spectral, edgecolors="k")
plt.xlim(xx.min(), xx.max())
plt.ylim(yy.min(), yy.max())
plt.show()

# %% [markdown]
# ## Exercises
#
# The exercises that accompany the lecture (its Colab notebook), each followed by a worked solution
# that ran when this page was built. Try them first: the solutions are folded.
#
# ### E1: an analytic gradient
#
# For $f(a, b, c) = -a^3 + \sin(3b) - 1/c + b^{2.5} - a^{0.5}$, work out
# $\partial f/\partial a$, $\partial f/\partial b$ and $\partial f/\partial c$ by hand and
# evaluate them at $(a, b, c) = (2, 3, 4)$. The exercise's reference values are
# $[-12.353553390593273, 10.25699027111255, 0.0625]$, within $10^{-5}$.

# %% [markdown] tags=["solution"]
# Differentiate term by term: $\partial f/\partial a = -3a^2 - \tfrac12 a^{-1/2}$,
# $\partial f/\partial b = 3\cos(3b) + 2.5\, b^{1.5}$, $\partial f/\partial c = 1/c^2$.


# %% tags=["solution"]
def f3(a, b, c):
    return -(a**3) + math.sin(3 * b) - 1.0 / c + b**2.5 - a**0.5


abc = [2.0, 3.0, 4.0]
expected_grad = [-12.353553390593273, 10.25699027111255, 0.0625]
a, b, c = abc
analytic = [-3 * a**2 - 0.5 * a**-0.5, 3 * math.cos(3 * b) + 2.5 * b**1.5, 1 / c**2]
print(f"f = {f3(*abc)}")
print("analytic:", analytic)
assert all(abs(x - y) < 1e-5 for x, y in zip(analytic, expected_grad))

# %% [markdown]
# ### E2: the same gradient numerically, forward and central differences
#
# Estimate the same gradient by nudging each input by $h = 10^{-6}$, first with the forward
# difference $(f(x + h) - f(x))/h$, then with the symmetric (central) difference
# $(f(x + h) - f(x - h))/2h$. Which is more accurate for the same $h$, and why?


# %% tags=["solution"]
def numerical_gradient(f, point, h=1e-6, central=False):
    grad = []
    for i in range(len(point)):
        up = list(point)
        up[i] += h
        if central:
            down = list(point)
            down[i] -= h
            grad.append((f(*up) - f(*down)) / (2 * h))
        else:
            grad.append((f(*up) - f(*point)) / h)
    return grad


forward = numerical_gradient(f3, abc)
central = numerical_gradient(f3, abc, central=True)
forward_error = max(abs(x - y) for x, y in zip(forward, expected_grad))
central_error = max(abs(x - y) for x, y in zip(central, expected_grad))
print(f"forward difference: {forward}\n  largest error {forward_error:.1e}")
print(f"central difference: {central}\n  largest error {central_error:.1e}")
assert forward_error < 1e-4 and central_error < forward_error

# %% [markdown] tags=["solution"]
# The central difference is more accurate: expanding $f(x \pm h)$ in a Taylor series, the
# $f''(x)\,h^2/2$ terms cancel in $f(x+h) - f(x-h)$, so its error shrinks like $h^2$, while the
# forward difference keeps an error of order $h$. (With $h$ much smaller, floating-point
# cancellation in the subtraction starts to dominate both.)

# %% [markdown]
# ### E3: softmax and the negative log-likelihood with Value
#
# Our `Value` has `exp` but no `log`. Write out the class with every operation it needs (the
# exercise's starting point is the class from the video), add `log`, and use it to compute the
# softmax of the logits $[0, 3, -2, 1]$ and the negative log-likelihood of class 3, then
# backpropagate. The exercise's reference: loss 2.1755153626167147 and logit gradients
# $[0.041772570515350445, 0.8390245074625319, 0.005653302662216329, -0.8864503806400986]$.

# %% [markdown] tags=["solution"]
# The class of this page, written in one cell as the lecture does at the end, with `log` added:
# $\frac{d}{dx}\log x = 1/x$.


# %% tags=["solution"]
class Value:
    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        assert isinstance(k, int | float), "only int/float powers"
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def __radd__(self, other):  # other + self
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad  # d/dx e^x = e^x

        out._backward = _backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += (1 / self.data) * out.grad  # d/dx log x = 1/x

        out._backward = _backward
        return out

    def backward(self):
        self.grad = 1.0
        for node in reversed(build_topo(self)):
            node._backward()


# %% [markdown] tags=["solution"]
# Softmax exponentiates the logits and normalises them; the loss is minus the log of the correct
# class's probability. `sum` starts from the integer 0, which `__radd__` handles.


# %% tags=["solution"]
def softmax(logits):
    counts = [logit.exp() for logit in logits]
    denominator = sum(counts)
    return [c / denominator for c in counts]


logits = [Value(x) for x in [0.0, 3.0, -2.0, 1.0]]
probs = softmax(logits)
nll = -probs[3].log()
nll.backward()
logit_grads = [v.grad for v in logits]
print(f"loss {nll.data}")
print("logit gradients:", logit_grads)
assert math.isclose(nll.data, 2.1755153626167147, rel_tol=1e-12)
reference = [0.041772570515350445, 0.8390245074625319, 0.005653302662216329, -0.8864503806400986]
assert all(math.isclose(x, y, rel_tol=1e-9) for x, y in zip(logit_grads, reference))

# %% [markdown] tags=["solution"]
# `exp` and `log` on their own, against `torch.autograd` at a few points ($y = \log x + e^x$):

# %% tags=["solution"]
for x0 in [0.5, 1.0, 2.5]:
    x = Value(x0)
    y = x.log() + x.exp()
    y.backward()
    tx = torch.tensor(x0, dtype=torch.double, requires_grad=True)
    ty = torch.log(tx) + torch.exp(tx)
    ty.backward()
    print(
        f"x = {x0}: ours {y.data:.6f}, grad {x.grad:.6f}; torch {ty.item():.6f}, grad {tx.grad.item():.6f}"
    )
    assert math.isclose(y.data, ty.item(), rel_tol=1e-12)
    assert math.isclose(x.grad, tx.grad.item(), rel_tol=1e-12)

# %% [markdown] tags=["solution"]
# The gradient is $p_i - [i = 3]$: each logit is pushed down by its probability and the correct one
# up by $1 - p_3$ (lecture 5 derives this in general).

# %% [markdown]
# ### E4: check it with PyTorch
#
# Compute the same loss and gradients with PyTorch tensors and compare.

# %% tags=["solution"]
tlogits = torch.tensor([0.0, 3.0, -2.0, 1.0], dtype=torch.double, requires_grad=True)
tloss = -torch.log_softmax(tlogits, dim=0)[3]
tloss.backward()
print(f"loss {tloss.item()}, gradients {tlogits.grad.tolist()}")
assert math.isclose(tloss.item(), nll.data, rel_tol=1e-12)
assert all(math.isclose(x, y, rel_tol=1e-9) for x, y in zip(tlogits.grad.tolist(), logit_grads))

# %% [markdown]
# ## Summary
#
# * A derivative measures how much an output moves per unit nudge of an input; backpropagation
#   computes all of them at once by applying the chain rule backwards through the graph, each
#   operation contributing only its local derivative.
# * Gradients *accumulate* (`+=`) because a value can be used many times; hence `zero_grad()`
#   before every backward pass.
# * A neural network is just a large expression; training is: forward, loss, zero grads, backward,
#   step.
# * PyTorch does the same on tensors: the numbers agree with ours.
#
# Next, lecture 2 builds a character-level language model, first by counting and then with a
# one-layer neural network.
