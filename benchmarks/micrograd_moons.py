"""Time micrograd's moons demo on our engine and on Karpathy's micrograd 0.1.0 (PyPI), in one run.

Both engines train the same MLP(2, [16, 16, 1]) from the same initial weights on the same points,
so they do the same arithmetic (the script checks that their losses agree). Reports the median
time of each and their ratio.

    .venv/bin/python benchmarks/micrograd_moons.py [--steps 100] [--repeats 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import micrograd.engine
import micrograd.nn

from zero_to_hero import micrograd as ours
from zero_to_hero.micrograd.moons import make_moons


def demo(value_cls, mlp_cls, steps: int) -> float:
    """micrograd's demo.ipynb training loop; returns the final loss."""
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    model = mlp_cls(2, [16, 16, 1])
    for k in range(steps):
        inputs = [list(map(value_cls, map(float, row))) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -float(yi) * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        loss = data_loss + reg_loss
        model.zero_grad()
        loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    return loss.data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    engines = {
        "zero_to_hero.micrograd": (ours.Value, ours.MLP),
        "micrograd 0.1.0": (micrograd.engine.Value, micrograd.nn.MLP),
    }
    times: dict[str, list[float]] = {name: [] for name in engines}
    losses: dict[str, float] = {}
    for _ in range(args.repeats):
        for name, (value_cls, mlp_cls) in engines.items():  # interleaved: fair under drift
            start = time.perf_counter()
            losses[name] = demo(value_cls, mlp_cls, args.steps)
            times[name].append(time.perf_counter() - start)
    a, b = losses.values()
    assert abs(a - b) <= 1e-9 * abs(b), f"the engines disagree: {losses}"
    for name, ts in times.items():
        print(f"{name:24s} median {statistics.median(ts):7.2f} s  runs {[round(t, 2) for t in ts]}"
              f"  final loss {losses[name]:.9f}")  # fmt: skip
    ratio = statistics.median(times["micrograd 0.1.0"]) / statistics.median(
        times["zero_to_hero.micrograd"]
    )
    print(f"speed-up (ratio of medians, {args.steps} steps, {args.repeats} runs): {ratio:.2f}x")


if __name__ == "__main__":
    main()
