"""The graph drawing: structure of the traced graph and of the figure."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from zero_to_hero.micrograd import Value, draw_graph, trace
from zero_to_hero.micrograd.draw import _columns


def _example():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    d = e + c
    L = d * Value(-2.0, label="f")
    return L, (a, b, c, d, e)


def test_trace_lists_every_node_and_edge():
    L, _ = _example()
    nodes, edges = trace(L)
    assert len(nodes) == 7
    assert len(edges) == 6
    assert nodes[-1] is L


def test_inputs_are_drawn_left_of_their_users():
    L, _ = _example()
    nodes, edges = trace(L)
    column = _columns(L, nodes)
    assert all(column[child] < column[node] for child, node in edges)
    assert column[L] == max(column.values())


def test_figure_has_a_box_per_value_and_a_circle_per_operation():
    L, _ = _example()
    L.backward()
    fig = draw_graph(L, title="L")
    assert isinstance(fig, Figure)
    patches = fig.axes[0].patches
    assert sum(isinstance(p, FancyBboxPatch) for p in patches) == 7
    assert sum(isinstance(p, Circle) for p in patches) == 3
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "a\ndata 2.0000\ngrad 6.0000" in texts


def test_works_on_any_object_with_the_value_attributes():
    class Hand:
        def __init__(self, data, children=(), op=""):
            self.data, self.grad, self.label, self._op, self._prev = data, 0.0, "", op, children

    x = Hand(1.0)
    y = Hand(2.0, (x, x), "+")
    nodes, edges = trace(y)
    assert len(nodes) == 2 and len(edges) == 2
    assert isinstance(draw_graph(y), Figure)
