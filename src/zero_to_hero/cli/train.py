"""``zero-to-hero train``: one loop for all four models, on one process or many (DDP)."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm

from zero_to_hero.cli import checkpoint
from zero_to_hero.cli.data import Encoded, encode_words, read_words, split_words
from zero_to_hero.cli.models import DEFAULT_LR, build_model, default_config
from zero_to_hero.data import DataError
from zero_to_hero.makemore.data import Vocabulary


@dataclass(frozen=True)
class TrainOptions:
    model: str
    input: Path
    out: Path
    steps: int = 5000
    batch_size: int = 32
    lr: float | None = None  # None: the model's DEFAULT_LR
    device: str = "auto"
    seed: int = 3407
    resume: bool = False
    tensorboard: bool = False
    eval_interval: int = 500
    weight_decay: float = 0.01


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("--device cuda was asked for, but no CUDA GPU is available")
    return torch.device(name)


@contextmanager
def distributed(device: torch.device):
    """Under torchrun (``WORLD_SIZE`` > 1) join the process group: gloo on CPU, nccl on GPU."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        yield 0, 1, device
        return
    backend = "nccl" if device.type == "cuda" else "gloo"
    dist.init_process_group(backend)
    rank = dist.get_rank()
    if device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        torch.cuda.set_device(device)
    try:
        yield rank, world, device
    finally:
        dist.destroy_process_group()


def loss_on(model: nn.Module, data: Encoded) -> torch.Tensor:
    logits = model(data.x)
    return F.cross_entropy(logits.flatten(0, 1), data.y.flatten(), ignore_index=-1)


@torch.no_grad()
def evaluate(model: nn.Module, data: Encoded) -> float:
    model.eval()
    loss = loss_on(model, data).item()
    model.train()
    return loss


class Histograms:
    """Per-layer activation and gradient histograms for TensorBoard (lecture 4's diagnostics).

    Forward hooks keep each layer's latest output; ``log`` writes those outputs, their gradients
    (the outputs are made to retain them) and every parameter's gradient.
    """

    def __init__(self, model: nn.Module, writer) -> None:
        self.writer, self.model, self.outputs = writer, model, {}
        self.recording = False
        for name, module in model.named_modules():
            if name and not list(module.children()):
                module.register_forward_hook(self._hook(name))

    def _hook(self, name: str):
        def keep(module, inputs, output):
            if self.recording and isinstance(output, torch.Tensor) and output.is_floating_point():
                if output.requires_grad:
                    output.retain_grad()
                self.outputs[name] = output

        return keep

    def log(self, step: int) -> None:
        for name, out in self.outputs.items():
            self.writer.add_histogram(f"activations/{name}", out.detach().float().cpu(), step)
            if out.grad is not None:
                self.writer.add_histogram(f"activation_grads/{name}", out.grad.cpu(), step)
        for name, p in self.model.named_parameters():
            if p.grad is not None:
                self.writer.add_histogram(f"gradients/{name}", p.grad.cpu(), step)
        self.outputs.clear()


def train(opts: TrainOptions, log=print) -> dict:
    """Train ``opts.model`` on the word list ``opts.input``; the best model goes to ``opts.out``."""
    lr = DEFAULT_LR[opts.model] if opts.lr is None else opts.lr
    if opts.steps < 1 or opts.batch_size < 1 or lr <= 0 or opts.eval_interval < 1:
        raise ValueError("--steps, --batch-size, --lr and --eval-interval must be positive")
    words = read_words(opts.input)
    device = pick_device(opts.device)
    with distributed(device) as (rank, world, device):
        state = checkpoint.load(opts.out) if opts.resume else None
        if state is not None:
            if state["kind"] != opts.model:
                raise ValueError(f"{opts.out} holds a {state['kind']} model, not {opts.model}")
            train_words, val_words = state["train_words"], state["val_words"]
            if set(words) != set(train_words) | set(val_words):
                raise DataError(f"{opts.input} is not the word list {opts.out} was trained on")
            vocab, config = Vocabulary(tuple(state["vocab"])), state["config"]
        else:
            vocab = Vocabulary.from_words(words)
            train_words, val_words = split_words(words, opts.seed)
            config = default_config(opts.model, len(vocab), max(map(len, words)))
        max_length = max(map(len, words))

        torch.manual_seed(opts.seed)
        model = build_model(opts.model, config).to(device)
        optimizer = torch.optim.AdamW(
            model.parameters(), lr=lr, betas=(0.9, 0.99), weight_decay=opts.weight_decay
        )
        step, best = 0, float("inf")
        if state is not None:
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            step, best = state["step"], state["best_val"]
            if rank == 0:
                log(f"resuming at step {step:,} (best val loss {best:.4f})")
        net = DistributedDataParallel(model) if world > 1 else model
        train_data = encode_words(train_words, vocab, max_length)
        train_data = Encoded(train_data.x.to(device), train_data.y.to(device))
        val_data = encode_words(val_words, vocab, max_length)
        val_data = Encoded(val_data.x.to(device), val_data.y.to(device))
        # each process, and each resumed run, draws its own batches
        g = torch.Generator().manual_seed(opts.seed + 1_000_003 * rank + step)

        writer = histograms = None
        if opts.tensorboard and rank == 0:
            from torch.utils.tensorboard import SummaryWriter

            writer = SummaryWriter(log_dir=str(opts.out / "tensorboard"))
            histograms = Histograms(model, writer)

        if rank == 0:
            n_params = sum(p.numel() for p in model.parameters())
            log(f"{opts.model}: {n_params:,} parameters; {len(train_words):,} training words, "
                f"{len(val_words):,} validation words, vocabulary of {len(vocab)}; "
                f"{world} process(es) on {device}")  # fmt: skip
        start = time.perf_counter()
        bar = tqdm(range(step, opts.steps), initial=step, total=opts.steps, disable=rank != 0,
                   unit="step", dynamic_ncols=True)  # fmt: skip
        for step in bar:
            evaluating = (step + 1) % opts.eval_interval == 0 or step + 1 == opts.steps
            if histograms:
                histograms.recording = evaluating
            ix = torch.randint(len(train_words), (opts.batch_size,), generator=g).to(device)
            loss = loss_on(net, Encoded(train_data.x[ix], train_data.y[ix]))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if histograms:
                histograms.recording = False  # keep the training pass, not the evaluation's
            bar.set_postfix(loss=f"{loss.item():.4f}", refresh=False)
            if writer and step % 10 == 0:
                writer.add_scalar("loss/train", loss.item(), step + 1)
                writer.add_scalar("lr", optimizer.param_groups[0]["lr"], step + 1)
            if evaluating and rank == 0:
                val = evaluate(model, val_data)
                if writer:
                    writer.add_scalar("loss/val", val, step + 1)
                    histograms.log(step + 1)
                improved = val < best
                if improved:
                    best = val
                    checkpoint.save(opts.out, {
                        "kind": opts.model, "config": config, "vocab": list(vocab.itos),
                        "max_length": max_length, "train_words": train_words,
                        "val_words": val_words, "step": step + 1, "best_val": best,
                        "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    })  # fmt: skip
                bar.write(f"step {step + 1:,}: train loss {loss.item():.4f}, val loss {val:.4f}"
                          + ("  (saved)" if improved else ""))  # fmt: skip
        bar.close()
        if writer:
            writer.close()
        return {"best_val": best, "seconds": time.perf_counter() - start, "rank": rank}
