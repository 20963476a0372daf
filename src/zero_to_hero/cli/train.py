"""``zero-to-hero train``: one loop for all four models, on one process or many (DDP).

What a run guarantees (``docs/cli.md`` promises the same):

* every flag and path is checked before any training work;
* ``OUT/last.pt`` is written at every evaluation and when the run is stopped (Ctrl-C, SIGTERM),
  with the optimiser's state and every process's batch generator, so ``--resume`` continues from
  the last step and, at one thread, reproduces the uninterrupted run bit for bit;
  ``OUT/best.pt`` is written when the validation loss improves;
* a nan or infinite loss stops the run with an error; the last good checkpoint stays.
"""

from __future__ import annotations

import math
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm

from zero_to_hero.cli import checkpoint, rundir
from zero_to_hero.cli.data import (
    Encoded,
    encode_words,
    max_length,
    read_words,
    split_words,
    vocabulary,
)
from zero_to_hero.cli.errors import Diverged, InputError, Interrupted, OutOfMemory, UsageError
from zero_to_hero.cli.models import DEFAULT_LR, build_model, default_config, step_bytes
from zero_to_hero.device import pick_device
from zero_to_hero.makemore.dataset import Vocabulary

DEFAULTS = {"steps": 5000, "batch_size": 32, "eval_interval": 500, "seed": 3407}
# Flags a resumed run may change (applied, and logged), and flags that fix the run (refused).
RESUMABLE = ("steps", "batch_size", "lr", "eval_interval")
FIXED = ("seed", "max_length")
MEMORY_FRACTION = 0.8  # of the memory free now that one step may need


@dataclass(frozen=True)
class TrainOptions:
    """The flags of ``train``; ``None`` means the default, or on ``--resume`` the saved value."""

    model: str
    input: Path
    out: Path
    steps: int | None = None
    batch_size: int | None = None
    lr: float | None = None
    device: str = "auto"
    seed: int | None = None
    max_length: int | None = None
    eval_interval: int | None = None
    resume: bool = False
    force: bool = False
    tensorboard: bool = False
    weight_decay: float = 0.01


def check_options(opts: TrainOptions) -> None:
    for name in ("steps", "batch_size", "eval_interval", "max_length"):
        value = getattr(opts, name)
        if value is not None and value < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1, not {value}")
    if opts.lr is not None and not (math.isfinite(opts.lr) and opts.lr > 0):
        raise UsageError(f"--lr must be a positive finite number, not {opts.lr}")
    rundir.check_writable(opts.out)


@contextmanager
def distributed(device: torch.device) -> Iterator[tuple[int, int, torch.device]]:
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
    # Tear down together: a process that destroys the group while another still holds its
    # connections (rank 0 writing the last checkpoint) aborted in gloo's destructor in about
    # one run in three. Only where every process stops at the same step: after an error that
    # one process alone raised, a barrier would wait forever.
    try:
        yield rank, world, device
        dist.barrier()
    except (Diverged, Interrupted):
        dist.barrier()
        raise
    finally:
        dist.destroy_process_group()


def gather(value: Any, world: int) -> list[Any]:
    """``value`` from every process, in rank order (a collective: every process calls it)."""
    if world == 1:
        return [value]
    values: list[Any] = [None] * world
    dist.all_gather_object(values, value)
    return values


@contextmanager
def stop_requests() -> Iterator[list[str]]:
    """Turn the first Ctrl-C or SIGTERM into a request the loop honours after the current step
    (it then saves and exits); a second one interrupts at once."""
    requests: list[str] = []

    def request(signum: int, frame: object) -> None:
        if requests:
            raise KeyboardInterrupt
        requests.append(signal.Signals(signum).name)

    previous = {s: signal.signal(s, request) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield requests
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def loss_on(model: nn.Module, data: Encoded, reduction: str = "mean") -> torch.Tensor:
    logits = model(data.x)
    return F.cross_entropy(logits.flatten(0, 1), data.y.flatten(), ignore_index=-1,
                           reduction=reduction)  # fmt: skip


@torch.no_grad()
def evaluate(model: nn.Module, data: Encoded, chunk: int) -> float:
    """The mean loss over every token of ``data``, in chunks that fit a training batch's memory."""
    model.eval()
    total = sum(
        loss_on(model, data[i : i + chunk], "sum").item() for i in range(0, len(data), chunk)
    )
    model.train()
    return total / int((data.y >= 0).sum())


def check_memory(
    kind: str, config: dict, batch_size: int, length: int, device: torch.device
) -> None:
    need = step_bytes(kind, config, batch_size, length)
    if device.type == "cuda":
        free = torch.cuda.mem_get_info(device)[0]
    else:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if need > MEMORY_FRACTION * free:
        fits = max(1, int(batch_size * MEMORY_FRACTION * free / need))
        raise UsageError(
            f"--batch-size {batch_size:,} needs about {need / 2**30:,.1f} GiB for one step of "
            f"{kind}, but {device.type} has {free / 2**30:,.1f} GiB free: use at most {fits:,}"
        )


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


def settings(opts: TrainOptions, saved: dict | None, log: Callable[[str], None]) -> dict:
    """The run's settings: the flags given, else the checkpoint's (on resume), else defaults.

    On resume a flag that changes the run from here on is applied and logged; one that fixes
    what was already done (the seed fixes the split, the maximum length the model) is refused.
    """
    given = {name: getattr(opts, name) for name in (*RESUMABLE, *FIXED)}
    if saved is None:
        run = {**DEFAULTS, "lr": DEFAULT_LR[opts.model], "max_length": None}
        return {**run, **{k: v for k, v in given.items() if v is not None}}
    if saved["kind"] != opts.model:
        raise UsageError(f"{opts.out} holds a {saved['kind']} model, not {opts.model}")
    run = {name: saved[name] for name in (*RESUMABLE, *FIXED)}
    for name, value in given.items():
        flag = f"--{name.replace('_', '-')}"
        if value is None or value == run[name]:
            continue
        if name in FIXED:
            raise UsageError(f"{flag} {value} differs from the run's {run[name]}; it cannot change "
                             "on --resume (train a new run into another --out)")  # fmt: skip
        log(f"{flag}: {run[name]} -> {value} from here on")
        run[name] = value
    if run["steps"] <= saved["step"]:
        raise UsageError(f"{opts.out} is already at step {saved['step']:,}: pass --steps greater "
                         "than that to train further")  # fmt: skip
    return run


def train(opts: TrainOptions, log: Callable[[str], None] = print) -> dict:
    """Train ``opts.model`` on the word list ``opts.input`` into ``opts.out`` (see the module)."""
    check_options(opts)
    try:
        device = pick_device(opts.device)
    except ValueError as err:
        raise UsageError(f"--device {err}") from None
    with distributed(device) as (rank, world, device):
        say = log if rank == 0 else lambda line: None
        lock = rundir.locked(opts.out, resume=opts.resume, force=opts.force)
        with lock if rank == 0 else nullcontext([]) as stale:
            if stale:
                say(f"removed {len(stale)} temporary file(s) left by an interrupted save")
            return _train(opts, rank, world, device, say)


def _train(
    opts: TrainOptions, rank: int, world: int, device: torch.device, log: Callable[[str], None]
) -> dict:
    saved = checkpoint.load(opts.out, checkpoint.LAST) if opts.resume else None
    run = settings(opts, saved, log)
    words = read_words(opts.input)
    if words.tabbed:
        log(f"{opts.input} has tab-separated columns: the first column of each line is the word")
    if saved is not None:
        if words.sha256 != saved["words_sha256"]:
            raise InputError(f"{opts.input} is not the word list {opts.out} was trained on")
        if world != saved["world"]:
            raise UsageError(
                f"{opts.out} was trained on {saved['world']} process(es), not {world}: "
                "resume with the same number"
            )
    length, kept = max_length(words, run["max_length"])
    if len(kept) < len(words.words):
        log(f"left out {len(words.words) - len(kept):,} word(s) longer than {length}")
    vocab = Vocabulary(tuple(saved["vocab"])) if saved else vocabulary(words)
    config = saved["config"] if saved else default_config(opts.model, len(vocab), length)
    check_memory(opts.model, config, run["batch_size"], length + 1, device)
    train_words, val_words = split_words(kept, run["seed"])

    torch.manual_seed(run["seed"])
    model = build_model(opts.model, config).to(device)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=run["lr"], betas=(0.9, 0.99), weight_decay=opts.weight_decay
    )
    # each process draws its own batches
    g = torch.Generator().manual_seed(run["seed"] + 1_000_003 * rank)
    step, best, last_saved = 0, math.inf, None
    if saved is not None:
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        for group in optimizer.param_groups:
            group["lr"] = run["lr"]
        g.set_state(saved["rng"][rank])
        step, best = saved["step"], saved["best_val"]
        last_saved = step
        log(f"resuming at step {step:,} (best val loss {best:.4f})")
    net = DistributedDataParallel(model) if world > 1 else model
    train_data = encode_words(train_words, vocab, length).to(device)
    val_data = encode_words(val_words, vocab, length).to(device)

    def snapshot(at: int) -> dict:
        """The checkpoint at step ``at`` (a collective: it gathers every process's generator)."""
        return {
            "kind": opts.model, "config": config, "vocab": list(vocab.itos),
            "longest": length, "words_sha256": words.sha256,
            "input": str(Path(opts.input).resolve()), "world": world, "step": at,
            "best_val": best, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
            "rng": gather(g.get_state(), world),
            **{name: run[name] for name in (*RESUMABLE, *FIXED)},
        }  # fmt: skip

    writer = histograms = None
    if opts.tensorboard and rank == 0:
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(log_dir=str(opts.out / "tensorboard"))
        histograms = Histograms(model, writer)

    n_params = sum(p.numel() for p in model.parameters())
    log(f"{opts.model}: {n_params:,} parameters; {len(train_words):,} training words, "
        f"{len(val_words):,} validation words ({len(set(val_words)):,} distinct, none of them "
        f"in training), vocabulary of {len(vocab)}; "
        f"{world} process(es) on {device}")  # fmt: skip
    start = time.perf_counter()
    bar = tqdm(total=run["steps"], initial=step, disable=True if rank else None, unit="step",
               dynamic_ncols=True)  # fmt: skip
    with stop_requests() as requests:
        try:
            while step < run["steps"]:
                evaluating = (step + 1) % run["eval_interval"] == 0 or step + 1 == run["steps"]
                if histograms:
                    histograms.recording = evaluating
                ix = torch.randint(len(train_data), (run["batch_size"],), generator=g)
                loss = loss_on(net, train_data[ix.to(device)])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                # every process sees the mean loss and any stop request: they stop together
                status = torch.tensor([loss.item(), float(bool(requests))])
                if world > 1:
                    dist.all_reduce(status)
                mean_loss, stopping = status[0].item() / world, status[1].item() > 0
                if not math.isfinite(mean_loss):
                    kept_at = (f"{opts.out / checkpoint.LAST} of step {last_saved:,} is kept"
                               if last_saved else "no checkpoint was written")  # fmt: skip
                    raise Diverged(
                        f"training diverged at step {step + 1:,}: the loss is {mean_loss}; "
                        f"lower --lr (now {run['lr']:g}); {kept_at}"
                    )
                optimizer.step()
                step += 1
                bar.update()
                if histograms:
                    histograms.recording = False  # keep the training pass, not the evaluation's
                bar.set_postfix(loss=f"{mean_loss:.4f}", refresh=False)
                if writer and step % 10 == 1:
                    writer.add_scalar("loss/train", mean_loss, step)
                    writer.add_scalar("lr", optimizer.param_groups[0]["lr"], step)
                if evaluating or stopping:
                    improved = False
                    if evaluating and rank == 0:
                        val = evaluate(model, val_data, run["batch_size"])
                        improved = val < best
                        best = min(best, val)
                        if writer:
                            writer.add_scalar("loss/val", val, step)
                            histograms.log(step)
                    # averaged gradients keep the replicas' parameters identical: check it
                    params = dict(model.named_parameters())
                    replicas = gather(checkpoint.content_sha256(params), world)
                    if len(set(replicas)) > 1:
                        raise RuntimeError(f"the {world} processes' models differ at step {step}")
                    state = snapshot(step)
                    if rank == 0:
                        if improved:
                            checkpoint.save(opts.out, checkpoint.BEST, state)
                        checkpoint.save(opts.out, checkpoint.LAST, state)
                        if evaluating:
                            bar.write(f"step {step:,}: train loss {mean_loss:.4f}, val loss "
                                      f"{val:.4f}" + ("  (best)" if improved else ""))  # fmt: skip
                    last_saved = step
                if stopping and step < run["steps"]:
                    raise Interrupted(
                        f"stopped by {requests[0] if requests else 'another process'} at step "
                        f"{step:,}; {opts.out / checkpoint.LAST} is saved: --resume continues",
                        requests[0] if requests else "SIGTERM",
                    )
        except (torch.cuda.OutOfMemoryError, MemoryError) as err:
            raise OutOfMemory(f"out of memory at step {step + 1:,}: lower --batch-size or "
                              "--max-length") from err  # fmt: skip
        finally:
            bar.close()
            if writer:
                writer.close()
    return {"best_val": best, "seconds": time.perf_counter() - start, "rank": rank, "step": step}
