"""How a published notebook output is compared with the output of a fresh run.

``tools/notebooks.py verify`` re-executes a notebook in a fresh kernel and hands both versions
to :func:`compare_notebooks`. Each code cell's outputs are compared by the rule its tags choose:

* **untagged**: text exactly (once the masks below are applied), figures as images within
  ``EXACT_IMAGE_RMS``;
* **a tolerance tag** (one of ``TOLERANCES``): the words exactly and every number within the
  class's ``atol + rtol * |published|``; figures within the class's image RMS;
* **an exemption tag** (one of ``EXEMPTIONS``): not compared at all; every such cell is counted
  and listed with its reason, so an exemption is always visible.

The tolerance classes live here, in one table, with the run-to-run spread that justified each.
It was measured by comparing two executions of the unchanged cells of every lecture, made in two
sessions on two machines of the kind that builds the site (2 cores, torch 2.13 CPU): most
trained numbers were identical to the last digit; the largest differences were 0.0066 in a loss
(lecture 4's badly initialised network after 50,000 steps), 0.0015 in lecture 3's losses, 2.5e-8
in a gradient difference, and an image RMS of 10.7 for a curve of minibatch losses (2.1 for a
panel of histograms). Each numeric tolerance is about three times the largest spread of its
class. The image limit of trained curves, 12, has less room: above the 10.7 measured, below the
14.4 between the two most alike different curve figures of one size on the site. A cell names
its class by tag, so the tag is part of the notebook's staleness hash while the
numbers can be revised here.

Figures are compared pixel by pixel with matplotlib's own root-mean-square measure
(``matplotlib.testing.compare.calculate_rms``, on a 0-255 scale): a swapped, missing, resized or
re-drawn figure fails. A figure published as its Python repr (``<Figure size ...>``) is caught
earlier, by ``tools/notebooks.py check``, without running anything.
"""

from __future__ import annotations

import base64
import io
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from matplotlib.testing.compare import calculate_rms
from nbformat import NotebookNode
from PIL import Image


@dataclass(frozen=True)
class Tolerance:
    atol: float
    rtol: float
    image_rms: float
    why: str


TOLERANCES = {
    "tolerance-float": Tolerance(
        atol=1e-6,
        rtol=1e-3,
        image_rms=1.0,
        why="a few float32 operations (gradient checks, largest differences): the last printed "
        "digit depends on the order of floating-point sums",
    ),
    "tolerance-loss": Tolerance(
        atol=0.02,
        rtol=0.0,
        image_rms=12.0,
        why="losses and accuracies after thousands of SGD or Adam steps: last-bit differences in "
        "the first steps grow into the third decimal by the end of training",
    ),
    "tolerance-accuracy": Tolerance(
        atol=2.0,
        rtol=0.0,
        image_rms=6.0,
        why="percentages of problems a trained model solves, printed with one decimal: a model "
        "trained from a slightly different trajectory gets a few problems more or fewer",
    ),
    "tolerance-statistics": Tolerance(
        atol=5e-4,
        rtol=0.05,
        image_rms=6.0,
        why="statistics of a trained network (activation and gradient spreads, saturation, "
        "update ratios): they move with the weights, a few percent at most",
    ),
}
EXEMPTIONS = {
    "exempt-samples": "text sampled from a trained model: one float-noise change in one "
    "probability changes every character after it; the cell asserts what can be asserted",
    "exempt-timing": "a ratio of wall-clock times, which varies with the machine's load",
    "exempt-trajectory": "a detail of one training trajectory (every single-minibatch loss, a "
    "statistic of the learned weights): on another CPU the same seeded run takes an equally good "
    "path whose details differ by tens of percent; the losses it reaches are compared elsewhere "
    "and the cell asserts what the claim rests on",
}
EXACT_IMAGE_RMS = 1.0
# Tags that steer the comparison: they are hashed with the cell's code (tools/notebooks.py).
STEERING_TAGS = frozenset(TOLERANCES) | frozenset(EXEMPTIONS)

# Parts of an output that legitimately differ between two correct runs; masked on both sides.
MASKS = [
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|s|min)\b"), "<time>"),  # wall-clock durations
    (re.compile(r"0x[0-9a-fA-F]{6,16}"), "0x<address>"),  # object addresses in reprs
    (re.compile(r"\d+%\|[^|]*\| *\d+/\d+ \[[^\]]*\]"), "<progress>"),  # tqdm bars
]
NUMBER = re.compile(
    r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?"
)
IMAGE_TYPES = ("image/png",)
FIGURE_REPR = re.compile(r"^<(Figure size |matplotlib\.|IPython\.core\.display\.)")


@dataclass(frozen=True)
class Rule:
    """How one cell is compared: ``kind`` is "exact", a tolerance tag, or an exemption tag."""

    kind: str
    tolerance: Tolerance | None = None

    @property
    def exempt(self) -> bool:
        return self.kind in EXEMPTIONS


def rule_for(cell: NotebookNode) -> Rule:
    """The rule a code cell's tags choose; a cell naming no known rule, or two, is refused."""
    tags = cell.metadata.get("tags", [])
    steering = [tag for tag in tags if tag in STEERING_TAGS]
    unknown = [t for t in tags if t.startswith(("tolerance-", "exempt-", "nbval-"))]
    unknown = [t for t in unknown if t not in STEERING_TAGS]
    if unknown:
        known = ", ".join(sorted(STEERING_TAGS))
        raise ValueError(f"unknown checking tag {unknown[0]!r} (known: {known})")
    if len(steering) > 1:
        raise ValueError(f"one checking tag per cell, found {steering}")
    if not steering:
        return Rule("exact")
    return Rule(steering[0], TOLERANCES.get(steering[0]))


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Item:
    """One comparable piece of a cell's output: a merged stream, or one MIME type of a display."""

    where: str  # "stdout", "stderr", "execute_result text/plain", ...
    mime: str
    value: str


def items(outputs: list[NotebookNode]) -> list[Item]:
    """A cell's outputs as comparable pieces. Consecutive writes to one stream are merged: how a
    kernel splits a stream into outputs depends on timing, not on what was printed."""
    found: list[Item] = []
    for output in outputs:
        kind = output.output_type
        if kind == "stream":
            if found and found[-1].where == output.name:
                found[-1] = Item(output.name, "text/plain", found[-1].value + output.text)
            else:
                found.append(Item(output.name, "text/plain", output.text))
        elif kind in ("display_data", "execute_result"):
            for mime, value in sorted(output.data.items()):
                text = value if isinstance(value, str) else "".join(value)
                found.append(Item(f"{kind} {mime}", mime, text))
        elif kind == "error":
            found.append(Item("error", "text/plain", f"{output.ename}: {output.evalue}"))
    return found


def figure_reprs(outputs: list[NotebookNode]) -> list[str]:
    """Displays whose only form is the text repr of a figure or display object: a figure that
    the page shows as ``<Figure size 700x320 with 1 Axes>`` instead of a picture."""
    found = []
    for output in outputs:
        data = output.get("data", {})
        if output.output_type in ("display_data", "execute_result") and set(data) == {"text/plain"}:
            text = data["text/plain"]
            text = text if isinstance(text, str) else "".join(text)
            if FIGURE_REPR.match(text):
                found.append(text)
    return found


def _pixels(encoded: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(encoded))).convert("RGBA"))


def image_rms(published: str, fresh: str) -> float:
    """Root-mean-square pixel difference of two base64 PNGs (0-255 scale); inf if sizes differ."""
    a, b = _pixels(published), _pixels(fresh)
    if a.shape != b.shape:
        return float("inf")
    return float(calculate_rms(a.astype(np.int16), b.astype(np.int16)))


def _short(text: str, limit: int = 160) -> str:
    text = text.strip().replace("\n", " | ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def compare_numbers(published: str, fresh: str, tolerance: Tolerance) -> list[str]:
    """Words must match exactly; each number within ``atol + rtol * |published|``."""
    words_a, words_b = NUMBER.split(published), NUMBER.split(fresh)
    if words_a != words_b:
        return [f"the words differ: published {_short(published)!r}, fresh {_short(fresh)!r}"]
    found = []
    for a, b in zip(NUMBER.findall(published), NUMBER.findall(fresh), strict=True):
        x, y = float(a.replace(",", "")), float(b.replace(",", ""))
        allowed = tolerance.atol + tolerance.rtol * abs(x)
        if abs(x - y) > allowed:
            found.append(
                f"published {a}, fresh {b}: |difference| {abs(x - y):.3g} > {allowed:.3g} "
                f"(atol {tolerance.atol:g} + rtol {tolerance.rtol:g} x |{a}|)"
            )
    return found


def compare_cell(published: list[NotebookNode], fresh: list[NotebookNode], rule: Rule) -> list[str]:
    """Why ``fresh`` does not reproduce ``published`` under ``rule`` (empty when it does)."""
    old, new = items(published), items(fresh)
    if [(i.where, i.mime) for i in old] != [(i.where, i.mime) for i in new]:
        return [
            f"the outputs differ in kind: published {[i.where for i in old]}, "
            f"fresh {[i.where for i in new]}"
        ]
    found = []
    for a, b in zip(old, new, strict=True):
        if a.mime in IMAGE_TYPES:
            limit = rule.tolerance.image_rms if rule.tolerance else EXACT_IMAGE_RMS
            rms = image_rms(a.value, b.value)
            if rms > limit:
                found.append(f"{a.where}: the figure differs, RMS {rms:.2f} > {limit:g}")
            continue
        x, y = mask(a.value), mask(b.value)
        if rule.tolerance is not None:
            found += [f"{a.where}: {problem}" for problem in compare_numbers(x, y, rule.tolerance)]
        elif x != y:
            found.append(f"{a.where}: published {_short(x)!r}, fresh {_short(y)!r}")
    return found


def _count_kind(outputs: list[NotebookNode], rule: Rule) -> Counter[str]:
    """Outputs by how they are compared: a stream written in several pieces counts once, a
    figure (a PNG with its text repr) counts as one image."""
    counts: Counter[str] = Counter()
    for before, output in zip([None, *outputs], outputs, strict=False):
        if output.output_type == "stream" and getattr(before, "name", None) == output.name:
            continue
        if rule.exempt:
            counts["exempt"] += 1
        elif any(mime in output.get("data", {}) for mime in IMAGE_TYPES):
            counts["image"] += 1
        else:
            counts["tolerance" if rule.tolerance else "exact"] += 1
    return counts


@dataclass
class Comparison:
    """What a comparison found: counts of outputs by rule, the exempt cells, the mismatches."""

    counts: Counter[str] = field(default_factory=Counter)
    exempt: list[tuple[int, str]] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['exact']} outputs compared exactly, {c['tolerance']} with a tolerance, "
            f"{c['image']} as images, {c['exempt']} exempt"
        )


def census(nb: NotebookNode) -> Comparison:
    """Count a published notebook's outputs by the rule that applies to each, without running."""
    result = Comparison()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        rule = rule_for(cell)
        result.counts += _count_kind(cell.outputs, rule)
        if rule.exempt:
            result.exempt.append((i, rule.kind))
    return result


def compare_notebooks(published: NotebookNode, fresh: NotebookNode) -> Comparison:
    """Compare every code cell of ``fresh`` (a re-execution) with ``published``."""
    result = census(published)
    pairs = [
        (i, a, b)
        for i, (a, b) in enumerate(zip(published.cells, fresh.cells, strict=True))
        if a.cell_type == "code"
    ]
    for i, old, new in pairs:
        rule = rule_for(old)
        if rule.exempt:
            continue
        found = compare_cell(old.outputs, new.outputs, rule)
        result.mismatches += [f"cell {i}: {problem}" for problem in found]
    return result
