"""Steps per second of each lecture's main training loop: the lecture's plain loop against ours.

For every hot loop of the course (lecture 3's MLP, lecture 4's BatchNorm MLP, lecture 5's
manual-backward loop, lecture 6's WaveNet, lecture 7's transformer stages and its CPU GPT), the
loop as Karpathy writes it and the package's version train the same model from the same seed on
the same minibatches, side by side in one run, at one and at two torch threads. Where it is worth
asking, a third column compiles our model with ``torch.compile`` (its compile time is reported
apart and left out of the steps per second; it is shorter when inductor's on-disk cache already
holds the kernels, 20-40 s here when cold).

The loss column shows that both reach the same quality: for lectures 3-6 the mean minibatch loss
of the last tenth of the steps (the two sides draw identical minibatches), for lecture 7 the
validation loss estimated the same way for both at the end. Each loop runs a fraction of its
lecture's steps (``--scale 1`` takes about five minutes here); the notebooks run the full recipes.

    .venv/bin/python benchmarks/hot_loops.py [--scale 1.0] [--threads 1 2] [--only l6]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F

from zero_to_hero import gpt
from zero_to_hero.data import load_names, load_tiny_shakespeare
from zero_to_hero.makemore import backprop, dataset_splits, train
from zero_to_hero.makemore.layers import (
    BatchNorm1d,
    Embedding,
    FlattenConsecutive,
    Linear,
    Sequential,
    Tanh,
)
from zero_to_hero.makemore.mlp import MLPLanguageModel
from zero_to_hero.makemore.wavenet import hierarchical_model

SEED = 2147483647
Run = Callable[[int], float]  # steps -> the loss to report; trains a fresh model from SEED


def lecture_lr(i: int) -> float:
    return 0.1 if i < 100_000 else 0.01  # lectures 3-6: decay after half of the 200k steps


def tail_mean(losses: list[float]) -> float:
    tail = losses[-max(1, len(losses) // 10) :]
    return sum(tail) / len(tail)


def lecture_loop(
    parameters: list[torch.Tensor],
    logits_of: Callable[[torch.Tensor], torch.Tensor],
    X: torch.Tensor,
    Y: torch.Tensor,
    steps: int,
    g: torch.Generator,
) -> float:
    """Lectures 3, 4 and 6's training loop as Karpathy writes it: a minibatch of 32, the loss,
    ``p.grad = None``, backward, ``p.data += -lr * p.grad``, the loss kept with ``.item()``."""
    lossi = []
    for i in range(steps):
        ix = torch.randint(0, X.shape[0], (32,), generator=g)
        loss = F.cross_entropy(logits_of(X[ix]), Y[ix])
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = lecture_lr(i)
        for p in parameters:
            p.data += -lr * p.grad
        lossi.append(loss.item())
    return tail_mean(lossi)


# --- lectures 3-6: the makemore loops --------------------------------------------------------


class Makemore:
    """Each makemore lecture's examples (the 80/10/10 split of names.txt), built once."""

    def __init__(self) -> None:
        words = load_names()
        self.splits = {block: dataset_splits(words, block) for block in (3, 8)}

    def train_set(self, block: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.splits[block].train


def lecture3(data: Makemore) -> tuple[Run, Run]:
    Xtr, Ytr = data.train_set(3)

    def lecture(steps: int) -> float:  # the lecture's loop over its five tensors
        g = torch.Generator().manual_seed(SEED)
        C = torch.randn((27, 10), generator=g)
        W1 = torch.randn((30, 200), generator=g)
        b1 = torch.randn(200, generator=g)
        W2 = torch.randn((200, 27), generator=g)
        b2 = torch.randn(27, generator=g)
        parameters = [C, W1, b1, W2, b2]
        for p in parameters:
            p.requires_grad = True

        def logits_of(Xb: torch.Tensor) -> torch.Tensor:
            emb = C[Xb]
            h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
            return h @ W2 + b2

        return lecture_loop(parameters, logits_of, Xtr, Ytr, steps, g)

    def ours(steps: int) -> float:
        g = torch.Generator().manual_seed(SEED)
        model = MLPLanguageModel(27, generator=g)
        return tail_mean(train(model, Xtr, Ytr, steps, generator=g))

    return lecture, ours


def lecture4(data: Makemore) -> tuple[Run, Run]:
    Xtr, Ytr = data.train_set(3)

    def init() -> tuple[list[torch.Tensor], torch.Generator]:
        g = torch.Generator().manual_seed(SEED)
        C = torch.randn((27, 10), generator=g)
        W1 = torch.randn((30, 200), generator=g) * (5 / 3) / 30**0.5
        W2 = torch.randn((200, 27), generator=g) * 0.01
        b2 = torch.randn(27, generator=g) * 0
        return [C, W1, W2, b2, torch.ones((1, 200)), torch.zeros((1, 200))], g

    def lecture(steps: int) -> float:  # the lecture's loop, BatchNorm written into it
        parameters, g = init()
        C, W1, W2, b2, bngain, bnbias = parameters
        running = {"mean": torch.zeros((1, 200)), "std": torch.ones((1, 200))}
        for p in parameters:
            p.requires_grad = True

        def logits_of(Xb: torch.Tensor) -> torch.Tensor:
            emb = C[Xb]
            hpreact = emb.view(emb.shape[0], -1) @ W1
            bnmeani = hpreact.mean(0, keepdim=True)
            bnstdi = hpreact.std(0, keepdim=True)
            hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
            with torch.no_grad():
                running["mean"] = 0.999 * running["mean"] + 0.001 * bnmeani
                running["std"] = 0.999 * running["std"] + 0.001 * bnstdi
            return torch.tanh(hpreact) @ W2 + b2

        return lecture_loop(parameters, logits_of, Xtr, Ytr, steps, g)

    def ours(steps: int) -> float:  # the same tensors in the package's layers
        (C, W1, W2, b2, _, _), g = init()
        embedding, hidden, head = Embedding(27, 10), Linear(30, 200, bias=False), Linear(200, 27)
        embedding.weight, hidden.weight, head.weight, head.bias = C, W1, W2, b2
        norm = BatchNorm1d(200, momentum=0.001)  # biased batch variance, as torch.nn's
        model = Sequential([embedding, FlattenConsecutive(3), hidden, norm, Tanh(), head])
        for p in model.parameters():
            p.requires_grad = True
        return tail_mean(train(model, Xtr, Ytr, steps, generator=g))

    return lecture, ours


def lecture5(data: Makemore) -> tuple[Run, Run]:
    Xtr, Ytr = data.train_set(3)
    n = 32

    def lecture(steps: int) -> float:  # exercise 4: forward, then the hand-written backward
        g = torch.Generator().manual_seed(SEED)
        parameters = list(backprop.init_params(n_hidden=200, generator=g).values())
        C, W1, b1, W2, b2, bngain, bnbias = parameters
        lossi = []
        with torch.no_grad():
            for i in range(steps):
                ix = torch.randint(0, Xtr.shape[0], (n,), generator=g)
                Xb, Yb = Xtr[ix], Ytr[ix]
                emb = C[Xb]
                embcat = emb.view(emb.shape[0], -1)
                hprebn = embcat @ W1 + b1
                bnmean = hprebn.mean(0, keepdim=True)
                bnvar = hprebn.var(0, keepdim=True, unbiased=True)
                bnvar_inv = (bnvar + 1e-5) ** -0.5
                bnraw = (hprebn - bnmean) * bnvar_inv
                hpreact = bngain * bnraw + bnbias
                h = torch.tanh(hpreact)
                logits = h @ W2 + b2
                loss = F.cross_entropy(logits, Yb)
                dlogits = F.softmax(logits, 1)
                dlogits[range(n), Yb] -= 1
                dlogits /= n
                dh = dlogits @ W2.T
                dW2 = h.T @ dlogits
                db2 = dlogits.sum(0)
                dhpreact = (1.0 - h**2) * dh
                dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
                dbnbias = dhpreact.sum(0, keepdim=True)
                dhprebn = (bngain * bnvar_inv / n) * (
                    n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0)
                )
                dembcat = dhprebn @ W1.T
                dW1 = embcat.T @ dhprebn
                db1 = dhprebn.sum(0)
                demb = dembcat.view(emb.shape)
                dC = torch.zeros_like(C)
                for k in range(Xb.shape[0]):
                    for j in range(Xb.shape[1]):
                        dC[Xb[k, j]] += demb[k, j]
                grads = [dC, dW1, db1, dW2, db2, dbngain, dbnbias]
                lr = lecture_lr(i)
                for p, grad in zip(parameters, grads, strict=True):
                    p.data += -lr * grad
                lossi.append(loss.item())
        return tail_mean(lossi)

    def ours(steps: int) -> float:  # the package's forward and fused backward
        g = torch.Generator().manual_seed(SEED)
        params = backprop.init_params(n_hidden=200, generator=g)
        lossi = []
        with torch.no_grad():
            for i in range(steps):
                ix = torch.randint(0, Xtr.shape[0], (n,), generator=g)
                loss, cache = backprop.forward(params, Xtr[ix], Ytr[ix])
                grads = backprop.fused_backward(params, Xtr[ix], Ytr[ix], cache)
                lr = lecture_lr(i)
                for k, p in params.items():
                    p.data += -lr * grads[k]
                lossi.append(loss.item())
        return tail_mean(lossi)

    return lecture, ours


class Compiled:
    """A makemore model whose forward pass goes through ``torch.compile`` (same parameters)."""

    def __init__(self, model: Sequential) -> None:
        self.model, self.forward = model, torch.compile(model, dynamic=False)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward(x)

    def parameters(self) -> list[torch.Tensor]:
        return self.model.parameters()


def lecture6(data: Makemore) -> tuple[Run, Run, Run]:
    Xtr, Ytr = data.train_set(8)

    def model() -> tuple[Sequential, torch.Generator]:
        g = torch.Generator().manual_seed(SEED)
        return hierarchical_model(27, 8, n_embd=24, n_hidden=128, generator=g), g

    def lecture(steps: int) -> float:  # the lecture's loop over model.parameters()
        net, g = model()
        return lecture_loop(net.parameters(), net, Xtr, Ytr, steps, g)

    def ours(steps: int) -> float:
        net, g = model()
        return tail_mean(train(net, Xtr, Ytr, steps, generator=g))

    def compiled(steps: int) -> float:
        net, g = model()
        return tail_mean(train(Compiled(net), Xtr, Ytr, steps, generator=g))

    return lecture, ours, compiled


# --- lecture 7: the transformer --------------------------------------------------------------


@dataclass(frozen=True)
class Shakespeare:
    train_data: torch.Tensor
    val_data: torch.Tensor

    @classmethod
    def load(cls) -> Shakespeare:
        text = load_tiny_shakespeare()
        data = torch.tensor(gpt.CharTokenizer(text).encode(text), dtype=torch.long)
        return cls(*gpt.train_val_split(data))


def lecture7(
    text: Shakespeare, config: gpt.GPTConfig, schedule: gpt.TrainConfig
) -> tuple[Run, Run, Run]:
    """Karpathy's gpt.py loop on his explicit heads, against ``gpt.train`` on the fused ones.

    The periodic loss estimates are left out of the timing (``gpt.train``'s two at the ends use
    one batch each); both models are estimated the same way afterwards, untimed."""
    splits = {"train": text.train_data, "val": text.val_data}

    def estimate(model: gpt.GPT) -> float:
        g = torch.Generator().manual_seed(1)
        return gpt.estimate_loss(model, splits, schedule.batch_size, schedule.eval_iters, g)["val"]

    def lecture(steps: int) -> float:
        torch.manual_seed(1337)
        model = gpt.GPT(replace(config, fused=False))
        g = torch.Generator().manual_seed(1337)
        optimizer = torch.optim.AdamW(model.parameters(), lr=schedule.learning_rate)

        def get_batch(data: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            ix = torch.randint(len(data) - config.block_size, (schedule.batch_size,), generator=g)
            x = torch.stack([data[i : i + config.block_size] for i in ix])
            y = torch.stack([data[i + 1 : i + config.block_size + 1] for i in ix])
            return x, y

        for it in range(steps):
            for group in optimizer.param_groups:
                group["lr"] = schedule.lr_at(it)
            xb, yb = get_batch(text.train_data)
            _, loss = model(xb, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        return estimate(model)

    def ours(steps: int, compile_model: bool = False) -> float:
        torch.manual_seed(1337)
        model = gpt.GPT(config)
        if compile_model:
            model.compile()  # in place: still a GPT, its forward compiled
        g = torch.Generator().manual_seed(1337)
        run = replace(schedule, max_iters=steps, eval_interval=steps, eval_iters=1)
        gpt.train(model, text.train_data, text.val_data, run, g, log=None)
        return estimate(model)

    return lecture, ours, lambda steps: ours(steps, compile_model=True)


# --- measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loop:
    name: str
    lecture_steps: int  # the notebook's full run, for the estimate of its time
    steps: int  # what the benchmark runs at --scale 1
    runs: tuple[Run, ...]  # lecture, ours[, ours compiled]


def timed(run: Run, steps: int) -> tuple[float, float]:
    start = time.perf_counter()
    loss = run(steps)
    return time.perf_counter() - start, loss


def rate(steps: int, seconds: float) -> str:
    per_second = steps / seconds
    return f"{per_second:8.0f}" if per_second >= 100 else f"{per_second:8.2f}"


def measure(loop: Loop, steps: int, threads: int) -> None:
    """One row: each side's steps per second and loss, ours against the lecture's, and what our
    loop would take for the notebook's full run at this rate."""
    torch.set_num_threads(threads)
    lecture_s, lecture_loss = timed(loop.runs[0], steps)
    ours_s, ours_loss = timed(loop.runs[1], steps)
    row = (
        f"{loop.name:20s} {threads:2d} {steps:7,d}  {rate(steps, lecture_s)} {lecture_loss:7.4f}"
        f"  {rate(steps, ours_s)} {ours_loss:7.4f} {lecture_s / ours_s:6.2f}x"
        f" {loop.lecture_steps * ours_s / steps:7.0f} s"
    )
    if len(loop.runs) > 2:  # a first short run pays the compile (and fills inductor's cache)
        compile_s, _ = timed(loop.runs[2], max(2, steps // 100))
        compiled_s, compiled_loss = timed(loop.runs[2], steps)
        row += f"  {rate(steps, compiled_s)} {compiled_loss:7.4f} {compile_s:6.1f} s"
    print(row, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the default steps")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--only", nargs="+", help="l3 l4 l5 l6 l7s l7 (default: all)")
    args = parser.parse_args()

    data, text = Makemore(), Shakespeare.load()
    stage = gpt.GPTConfig(65, block_size=8, n_embd=32, n_head=4, n_layer=3, dropout=0.0)
    stage_schedule = gpt.TrainConfig(batch_size=32, learning_rate=1e-3, eval_iters=50)
    loops = {
        "l3": Loop("3: MLP", 200_000, 20_000, lecture3(data)),
        "l4": Loop("4: BatchNorm MLP", 200_000, 20_000, lecture4(data)),
        "l5": Loop("5: manual backward", 200_000, 5_000, lecture5(data)),
        "l6": Loop("6: WaveNet", 200_000, 5_000, lecture6(data)),
        "l7s": Loop("7: LayerNorm stage", 5_000, 500, lecture7(text, stage, stage_schedule)),
        "l7": Loop("7: CPU GPT", 3_000, 60, lecture7(text, *gpt.CPU)),
    }
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads available")
    print(f"{'':31s}  {'lecture':>16s}  {'ours':>16s} {'speed':>6s} {'full run':>9s}  compiled")
    print(
        f"{'loop':20s} th {'steps':>7s}  {'steps/s':>8s} {'loss':>7s}  {'steps/s':>8s} {'loss':>7s}"
        f" {'-up':>6s} {'(ours)':>9s}  {'steps/s':>8s} {'loss':>7s} {'compile':>8s}"
    )
    for key, loop in loops.items():
        if args.only and key not in args.only:
            continue
        for threads in args.threads:
            measure(loop, max(2, int(loop.steps * args.scale)), threads)


if __name__ == "__main__":
    main()
