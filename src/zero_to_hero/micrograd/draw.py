"""Draw a ``Value`` computation graph with matplotlib alone.

The lecture draws graphs with Graphviz, which needs the ``dot`` program installed on the system.
This renderer needs nothing beyond matplotlib, so the notebooks run on any machine that can
``pip install`` the package. The layout is the classic layered one: each value sits in the column
just left of its leftmost user, operations sit between a value and its inputs, and nodes within a
column are ordered to reduce crossings (a few barycentre sweeps).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from zero_to_hero.figures import new_figure
from zero_to_hero.micrograd.engine import topological_order


class Value(Protocol):
    """What a drawable node offers: the package's ``Value`` and the lecture's hand-built one."""

    data: float
    grad: float
    label: str
    _op: str
    _prev: Iterable[Value]


Edge = tuple[Value, Value]

# Layout units: one unit is _INCH inches of figure; text is 8 pt monospace.
_INCH = 0.6
_CHAR_WIDTH = 0.135  # width of one 8 pt monospace character, in layout units
_GAP = 1.3  # horizontal room between columns, where the operation circles sit
_ROW = 1.2  # vertical distance between rows
_BOX_HEIGHT = 0.95
_OP_RADIUS = 0.3


def trace(root: Value) -> tuple[list[Value], list[Edge]]:
    """The nodes of ``root``'s graph (inputs first) and its edges as ``(input, output)`` pairs."""
    nodes = topological_order(root)
    edges = [(child, node) for node in nodes for child in node._prev]
    return nodes, edges


def _columns(root: Value, nodes: list[Value]) -> dict[Value, int]:
    """Column of each value: the root is rightmost; every input sits left of all its users."""
    distance = {root: 0}
    for node in reversed(nodes):  # users before their inputs
        for child in node._prev:
            distance[child] = max(distance.get(child, 0), distance[node] + 1)
    deepest = max(distance.values())
    return {node: deepest - distance[node] for node in nodes}


def _rows(nodes: list[Value], column: dict[Value, int]) -> dict[Value, float]:
    """Vertical position of each value, ordered within its column to keep edges short."""
    by_column: dict[int, list[Value]] = {}
    for node in nodes:
        by_column.setdefault(column[node], []).append(node)
    users: dict[Value, list[Value]] = {node: [] for node in nodes}
    for node in nodes:
        for child in node._prev:
            users[child].append(node)
    position = {node: float(i) for members in by_column.values() for i, node in enumerate(members)}

    def reorder(members: list[Value], neighbours: dict[Value, list[Value]]) -> None:
        def barycentre(node: Value) -> float:
            linked = neighbours[node]
            return sum(position[n] for n in linked) / len(linked) if linked else position[node]

        members.sort(key=barycentre)
        for i, node in enumerate(members):
            position[node] = i - (len(members) - 1) / 2

    inputs = {node: list(node._prev) for node in nodes}
    columns = sorted(by_column)
    for _ in range(4):
        for c in columns:
            reorder(by_column[c], inputs)
        for c in reversed(columns):
            reorder(by_column[c], users)
    return position


def _box_text(node: Value) -> str:
    lines = [node.label] if node.label else []
    return "\n".join([*lines, f"data {node.data:.4f}", f"grad {node.grad:.4f}"])


def draw_graph(root: Value, title: str | None = None) -> Figure:
    """A figure of the graph that computes ``root``: one box per value, one circle per operation.

    Each box shows the value's label (if it has one), its data and its grad. Return the figure
    from a notebook cell to show it.
    """
    nodes, edges = trace(root)
    column = _columns(root, nodes)
    row = _rows(nodes, column)
    texts = {node: _box_text(node) for node in nodes}
    widest = max(len(line) for text in texts.values() for line in text.splitlines())
    box_width = _CHAR_WIDTH * widest + 0.3
    column_width = box_width + _GAP
    n_columns = max(column.values()) + 1
    top, bottom = -min(row.values()), -max(row.values())

    fig = new_figure(
        figsize=(
            _INCH * (column_width * n_columns - _GAP + 0.6),
            _INCH * (top - bottom + 1.2) * _ROW,
        ),
        facecolor="white",
    )
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(_GAP - 0.3, column_width * n_columns + 0.3)
    ax.set_ylim((bottom - 0.6) * _ROW, (top + 0.6) * _ROW)
    if title:
        ax.set_title(title, fontsize=9, y=0.98)

    def box_left(node: Value) -> tuple[float, float]:
        return column_width * column[node] + _GAP, -row[node] * _ROW

    def op_centre(node: Value) -> tuple[float, float]:
        x, y = box_left(node)
        return x - _GAP / 2, y

    # Edges first and under the boxes, so an edge that crosses a column passes behind its boxes.
    arrow = {"arrowstyle": "-|>", "color": "#666666", "lw": 0.8, "shrinkA": 0, "shrinkB": 0}
    for child, node in edges:
        x, y = box_left(child)
        ox, oy = op_centre(node)
        ax.annotate(
            "", xy=(ox - _OP_RADIUS, oy), xytext=(x + box_width, y), arrowprops=arrow, zorder=1
        )
    for node in nodes:
        x, y = box_left(node)
        ax.add_patch(
            FancyBboxPatch(
                (x, y - _BOX_HEIGHT / 2),
                box_width,
                _BOX_HEIGHT,
                boxstyle="round,pad=0.03",
                facecolor="#e8f1fb",
                edgecolor="#1f4e79",
                lw=0.8,
                zorder=2,
            )
        )
        ax.text(
            x + box_width / 2,
            y,
            texts[node],
            ha="center",
            va="center",
            fontsize=8,
            family="monospace",
            color="black",
            linespacing=1.25,
            zorder=3,
        )
        if node._op:
            ox, oy = op_centre(node)
            ax.add_patch(
                Circle(
                    (ox, oy), _OP_RADIUS, facecolor="#fff2cc", edgecolor="#7f6000", lw=0.8, zorder=2
                )
            )
            ax.text(
                ox, oy, node._op, ha="center", va="center", fontsize=7.5, color="black", zorder=3
            )
            ax.annotate("", xy=(x, y), xytext=(ox + _OP_RADIUS, oy), arrowprops=arrow, zorder=1)
    return fig
