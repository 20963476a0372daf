"""``zero-to-hero train``: one loop for all seven models, on one process or many (DDP).

What a run guarantees (``docs/cli.md`` promises the same):

* every flag and path is checked before any training work;
* ``OUT/last.pt`` is written at every evaluation and when the run is stopped (Ctrl-C, SIGTERM),
  with the optimiser's state and every process's batch generator, so ``--resume`` continues from
  the last step and, at one thread, reproduces the uninterrupted run bit for bit;
  ``OUT/best.pt`` is written when the validation loss improves;
* a nan or infinite loss stops the run with an error; the last good checkpoint stays;
* with ``--max-steps -1`` the run trains until it is stopped; then it evaluates, saves and ends
  normally (status 0), since stopping it was the plan.

``train`` reads as its steps: ``set_up`` the run (settings, words, model config), ``build`` the
model and optimiser (restored on resume), then repeat ``training_step`` and, at evaluations and
when stopped, ``evaluate_and_save``.
"""

from __future__ import annotations

import math
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm  # type: ignore[import-untyped]

from zero_to_hero.cli import checkpoint, rundir
from zero_to_hero.cli.errors import Diverged, InputError, Interrupted, OutOfMemory, UsageError
from zero_to_hero.cli.models import KNOBS, REGISTRY, check_knobs, default_config, step_bytes
from zero_to_hero.cli.sample import draw_words
from zero_to_hero.cli.words import (
    Encoded,
    WordList,
    encode_words,
    hold_out_words,
    max_length,
    read_words,
    vocabulary,
)
from zero_to_hero.device import pick_device
from zero_to_hero.makemore.dataset import Vocabulary

if TYPE_CHECKING:
    from torch.utils.tensorboard import SummaryWriter

UNTIL_INTERRUPTED = -1  # --max-steps -1
DEFAULTS = {"max_steps": 5000, "batch_size": 32, "eval_interval": 500, "seed": 3407,
            "weight_decay": 0.01}  # fmt: skip
# Flags a resumed run may change (applied, and logged), and flags that fix the run (refused);
# the model's size flags (KNOBS) fix it too, and are checked against its stored config.
RESUMABLE = ("max_steps", "batch_size", "lr", "weight_decay", "eval_interval")
FIXED = ("seed", "max_length")
MEMORY_FRACTION = 0.8  # of the memory free now that one step may need
SAMPLES = 5  # words printed at each evaluation


@dataclass(frozen=True)
class TrainOptions:
    """The flags of ``train``; ``None`` means the default, or on ``--resume`` the saved value."""

    model: str
    input: Path
    out: Path
    max_steps: int | None = None
    batch_size: int | None = None
    lr: float | None = None
    weight_decay: float | None = None
    device: str = "auto"
    seed: int | None = None
    max_length: int | None = None
    eval_interval: int | None = None
    n_layer: int | None = None
    n_head: int | None = None
    n_embd: int | None = None
    n_embd2: int | None = None
    resume: bool = False
    force: bool = False
    tensorboard: bool = False

    @property
    def knobs(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in KNOBS}


def flag(name: str) -> str:
    return f"--{name.replace('_', '-')}"


def check_options(opts: TrainOptions) -> None:
    if opts.max_steps is not None and opts.max_steps < 1 and opts.max_steps != UNTIL_INTERRUPTED:
        raise UsageError(f"--max-steps must be at least 1, or -1 to train until stopped, not "
                         f"{opts.max_steps}")  # fmt: skip
    for name in ("batch_size", "eval_interval", "max_length", *KNOBS):
        value = getattr(opts, name)
        if value is not None and value < 1:
            raise UsageError(f"{flag(name)} must be at least 1, not {value}")
    if opts.lr is not None and not (math.isfinite(opts.lr) and opts.lr > 0):
        raise UsageError(f"--lr must be a positive finite number, not {opts.lr}")
    if opts.weight_decay is not None and not (
        math.isfinite(opts.weight_decay) and opts.weight_decay >= 0
    ):
        raise UsageError(f"--weight-decay must be a finite number >= 0, not {opts.weight_decay}")
    check_knobs(opts.model, opts.knobs)
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

    def request(signum: int, frame: FrameType | None) -> None:
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
    kind: str, config: dict[str, Any], batch_size: int, length: int, device: torch.device
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

    def __init__(self, model: nn.Module, writer: SummaryWriter) -> None:
        self.writer, self.model = writer, model
        self.outputs: dict[str, torch.Tensor] = {}
        self.recording = False
        for name, module in model.named_modules():
            if name and not list(module.children()):
                module.register_forward_hook(self._hook(name))

    def _hook(self, name: str) -> Callable[[nn.Module, Any, Any], None]:
        def keep(module: nn.Module, inputs: Any, output: Any) -> None:
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


def settings(
    opts: TrainOptions, saved: dict[str, Any] | None, log: Callable[[str], None]
) -> dict[str, Any]:
    """The run's settings: the flags given, else the checkpoint's (on resume), else defaults.

    On resume a flag that changes the run from here on is applied and logged; one that fixes
    what was already done (the seed fixes the split, the maximum length and the size flags the
    model) is refused.
    """
    given = {name: getattr(opts, name) for name in (*RESUMABLE, *FIXED)}
    if saved is None:
        run = {**DEFAULTS, "lr": REGISTRY[opts.model].lr, "max_length": None}
        return {**run, **{k: v for k, v in given.items() if v is not None}}
    if saved["kind"] != opts.model:
        raise UsageError(f"{opts.out} holds a {saved['kind']} model, not {opts.model}")
    run = {name: saved[name] for name in (*RESUMABLE, *FIXED)}
    changes = []  # logged only once every flag is accepted: a refused resume changes nothing
    for name, value in {**given, **opts.knobs}.items():
        if value is None:
            continue
        current = run[name] if name in run else saved["config"][name]
        if value == current:
            continue
        if name in (*FIXED, *KNOBS):
            raise UsageError(f"{flag(name)} {value} differs from the run's {current}; it cannot "
                             "change on --resume (train a new run into another --out)")  # fmt: skip
        changes.append(f"{flag(name)}: {current} -> {value} from here on")
        run[name] = value
    if run["max_steps"] != UNTIL_INTERRUPTED and run["max_steps"] <= saved["step"]:
        raise UsageError(f"{opts.out} is already at step {saved['step']:,}: pass --max-steps "
                         "greater than that (or -1) to train further")  # fmt: skip
    for change in changes:
        log(change)
    return run


@dataclass(frozen=True)
class Run:
    """What every step of one run reads: where it runs, its settings, its words and model."""

    opts: TrainOptions
    rank: int
    world: int
    device: torch.device
    log: Callable[[str], None]
    settings: dict[str, Any]
    words: WordList
    length: int  # the longest word trained on
    vocab: Vocabulary
    config: dict[str, Any]
    train_data: Encoded
    val_data: Encoded

    @property
    def until_interrupted(self) -> bool:
        return bool(self.settings["max_steps"] == UNTIL_INTERRUPTED)

    def is_evaluation(self, step: int) -> bool:
        """Whether step ``step`` (counted from 1) ends with an evaluation."""
        return step % self.settings["eval_interval"] == 0 or step == self.settings["max_steps"]


@dataclass
class Learner:
    """What the steps change: the model, its optimiser, the batch generator, the counters."""

    model: nn.Module
    net: nn.Module  # the model, wrapped for data-parallel training when there are processes
    optimizer: torch.optim.Optimizer
    batches: torch.Generator
    step: int = 0
    best: float = math.inf
    last_saved: int | None = None
    writer: SummaryWriter | None = None
    histograms: Histograms | None = None


def set_up(
    opts: TrainOptions,
    saved: dict[str, Any] | None,
    rank: int,
    world: int,
    device: torch.device,
    log: Callable[[str], None],
) -> Run:
    """Settings, the word list (checked against the run on resume), its split and encoding."""
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
    config = saved["config"] if saved else default_config(opts.model, len(vocab), length,
                                                          opts.knobs)  # fmt: skip
    check_memory(opts.model, config, run["batch_size"], length + 1, device)
    train_words, val_words = hold_out_words(kept, run["seed"])
    log(f"{len(train_words):,} training words, {len(val_words):,} validation words "
        f"({len(set(val_words)):,} distinct, none of them in training), vocabulary of "
        f"{len(vocab)}; {world} process(es) on {device}")  # fmt: skip
    train_data = encode_words(train_words, vocab, length).to(device)
    val_data = encode_words(val_words, vocab, length).to(device)
    return Run(opts, rank, world, device, log, run, words, length, vocab, config, train_data,
               val_data)  # fmt: skip


def build(run: Run, saved: dict[str, Any] | None) -> Learner:
    """The seeded model and its AdamW optimiser, or on resume the saved ones."""
    torch.manual_seed(run.settings["seed"])
    model = REGISTRY[run.opts.model].build(run.config).to(run.device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=run.settings["lr"], betas=(0.9, 0.99),
                                  weight_decay=run.settings["weight_decay"])  # fmt: skip
    # each process draws its own batches
    batches = torch.Generator().manual_seed(run.settings["seed"] + 1_000_003 * run.rank)
    net = DistributedDataParallel(model) if run.world > 1 else model
    learner = Learner(model, net, optimizer, batches)
    if saved is not None:
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        for group in optimizer.param_groups:
            group["lr"], group["weight_decay"] = run.settings["lr"], run.settings["weight_decay"]
        batches.set_state(saved["rng"][run.rank])
        learner.step = learner.last_saved = saved["step"]
        learner.best = saved["best_val"]
        run.log(f"resuming at step {learner.step:,} (best val loss {learner.best:.4f})")
    if run.opts.tensorboard and run.rank == 0:
        from torch.utils.tensorboard import SummaryWriter

        learner.writer = SummaryWriter(log_dir=str(run.opts.out / "tensorboard"))
        learner.histograms = Histograms(model, learner.writer)
    n_params = sum(p.numel() for p in model.parameters())
    run.log(f"{run.opts.model}: {n_params:,} parameters")
    return learner


def training_step(run: Run, learner: Learner, requests: list[str]) -> tuple[float, bool]:
    """One AdamW update on a random batch; the mean loss over the processes, and whether any
    process was asked to stop (so that they all stop at the same step)."""
    ix = torch.randint(len(run.train_data), (run.settings["batch_size"],),
                       generator=learner.batches)  # fmt: skip
    loss = loss_on(learner.net, run.train_data[ix.to(run.device)])
    learner.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    status = torch.tensor([loss.item(), float(bool(requests))])
    if run.world > 1:
        dist.all_reduce(status)
    mean_loss, stopping = status[0].item() / run.world, status[1].item() > 0
    if not math.isfinite(mean_loss):
        kept_at = (f"{run.opts.out / checkpoint.LAST} of step {learner.last_saved:,} is kept"
                   if learner.last_saved else "no checkpoint was written")  # fmt: skip
        raise Diverged(
            f"training diverged at step {learner.step + 1:,}: the loss is {mean_loss}; "
            f"lower --lr (now {run.settings['lr']:g}); {kept_at}"
        )
    learner.optimizer.step()
    learner.step += 1
    if learner.writer and learner.step % 10 == 1:
        learner.writer.add_scalar("loss/train", mean_loss, learner.step)
        learner.writer.add_scalar("lr", learner.optimizer.param_groups[0]["lr"], learner.step)
    return mean_loss, stopping


def snapshot(run: Run, learner: Learner) -> dict[str, Any]:
    """The checkpoint at the current step (a collective: it gathers every process's generator)."""
    return {
        "kind": run.opts.model, "config": run.config, "vocab": list(run.vocab.itos),
        "longest": run.length, "words_sha256": run.words.sha256,
        "input": str(Path(run.opts.input).resolve()), "world": run.world, "step": learner.step,
        "best_val": learner.best, "model": learner.model.state_dict(),
        "optimizer": learner.optimizer.state_dict(),
        "rng": gather(learner.batches.get_state(), run.world),
        **{name: run.settings[name] for name in (*RESUMABLE, *FIXED)},
    }  # fmt: skip


def samples(run: Run, model: nn.Module) -> list[str]:
    """``SAMPLES`` words drawn with the run's seed: the same draws at every evaluation, so the
    log shows what the model learnt in between (and a resumed run prints what a straight one
    would)."""
    g = torch.Generator().manual_seed(run.settings["seed"])
    words = draw_words(model, run.vocab, run.length, SAMPLES, generator=g)
    model.train()
    return words


def evaluate_and_save(
    run: Run, learner: Learner, mean_loss: float, evaluating: bool, write: Callable[[str], None]
) -> None:
    """At an evaluation measure the validation loss and print samples; in any case save
    ``last.pt`` (and ``best.pt`` if the loss improved)."""
    improved, val = False, math.nan
    if evaluating and run.rank == 0:
        val = evaluate(learner.model, run.val_data, run.settings["batch_size"])
        improved = val < learner.best
        learner.best = min(learner.best, val)
        if learner.writer and learner.histograms:
            learner.writer.add_scalar("loss/val", val, learner.step)
            learner.histograms.log(learner.step)
    # averaged gradients keep the replicas' parameters identical: check it
    params = dict(learner.model.named_parameters())
    replicas = gather(checkpoint.content_sha256(params), run.world)
    if len(set(replicas)) > 1:
        raise RuntimeError(f"the {run.world} processes' models differ at step {learner.step}")
    state = snapshot(run, learner)
    if run.rank == 0:
        if improved:
            checkpoint.save(run.opts.out, checkpoint.BEST, state)
        checkpoint.save(run.opts.out, checkpoint.LAST, state)
        if evaluating:
            write(f"step {learner.step:,}: train loss {mean_loss:.4f}, val loss {val:.4f}"
                  + ("  (best)" if improved else ""))  # fmt: skip
            write(f"  samples: {', '.join(samples(run, learner.model))}")
    learner.last_saved = learner.step


def train(opts: TrainOptions, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Train ``opts.model`` on the word list ``opts.input`` into ``opts.out`` (see the module)."""
    check_options(opts)
    try:
        device = pick_device(opts.device)
    except ValueError as err:
        raise UsageError(f"--device {err}") from None
    with distributed(device) as (rank, world, device):
        say = log if rank == 0 else lambda line: None
        # rank 0 holds the directory for all processes
        lock: AbstractContextManager[list[Path]] = (
            rundir.locked(opts.out, resume=opts.resume, force=opts.force)
            if rank == 0
            else nullcontext([])
        )
        with lock as stale:
            if stale:
                say(f"removed {len(stale)} temporary file(s) left by an interrupted save")
            return _train(opts, rank, world, device, say)


def _train(
    opts: TrainOptions, rank: int, world: int, device: torch.device, log: Callable[[str], None]
) -> dict[str, Any]:
    saved = checkpoint.load(opts.out, checkpoint.LAST) if opts.resume else None
    run = set_up(opts, saved, rank, world, device, log)
    learner = build(run, saved)
    start = time.perf_counter()
    total = None if run.until_interrupted else run.settings["max_steps"]
    bar = tqdm(total=total, initial=learner.step, disable=True if rank else None, unit="step",
               dynamic_ncols=True)  # fmt: skip
    with stop_requests() as requests:
        try:
            while run.until_interrupted or learner.step < run.settings["max_steps"]:
                evaluating = run.is_evaluation(learner.step + 1)
                if learner.histograms:
                    learner.histograms.recording = evaluating
                mean_loss, stopping = training_step(run, learner, requests)
                bar.update()
                bar.set_postfix(loss=f"{mean_loss:.4f}", refresh=False)
                if learner.histograms:
                    learner.histograms.recording = False  # keep the training pass only
                # a run meant to be stopped evaluates its last step like any run's last step
                evaluating = evaluating or (stopping and run.until_interrupted)
                if evaluating or stopping:
                    evaluate_and_save(run, learner, mean_loss, evaluating, bar.write)
                if stopping:
                    signal_name = requests[0] if requests else "SIGTERM"
                    message = (f"stopped by {requests[0] if requests else 'another process'} at "
                               f"step {learner.step:,}; {opts.out / checkpoint.LAST} is saved: "
                               "--resume continues")  # fmt: skip
                    if run.until_interrupted:
                        log(message)
                        break
                    if learner.step < run.settings["max_steps"]:
                        raise Interrupted(message, signal_name)
        except (torch.cuda.OutOfMemoryError, MemoryError) as err:
            raise OutOfMemory(f"out of memory at step {learner.step + 1:,}: lower --batch-size "
                              "or --max-length") from err  # fmt: skip
        finally:
            bar.close()
            if learner.writer:
                learner.writer.close()
    return {"best_val": learner.best, "seconds": time.perf_counter() - start, "rank": rank,
            "step": learner.step}  # fmt: skip
