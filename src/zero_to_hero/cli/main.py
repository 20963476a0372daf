"""The ``zero-to-hero`` command: argument parsing, and one-line errors instead of tracebacks.

Every failure a user can cause ends as one line on standard error and an exit status from
``zero_to_hero.cli.errors``; ``--debug`` shows the traceback instead (for bug reports).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zero_to_hero.cli import errors
from zero_to_hero.cli.models import MODELS
from zero_to_hero.data import DataError


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def max_steps(text: str) -> int:
    value = int(text)
    if value < 1 and value != -1:
        raise argparse.ArgumentTypeError(f"must be at least 1, or -1 to train until stopped, "
                                         f"not {value}")  # fmt: skip
    return value


SEED_LIMIT = 2**63  # torch's generators take 64 bits, and each process adds its rank to the seed


def seed(text: str) -> int:
    """A seed torch accepts: a larger one failed deep inside torch as an internal error."""
    value = int(text)
    if not 0 <= value < SEED_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2**63 - 1, not {value}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="zero-to-hero",
        description="Train the course's character-level models on your own word list, and "
        "sample new words from them.",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks instead of one line")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a model on a file of words, one per line")
    t.add_argument("--model", choices=MODELS, required=True)
    t.add_argument("--input", type=Path, required=True, help="UTF-8 text, one word per line")
    t.add_argument("--out", type=Path, required=True, help="directory for the checkpoints")
    t.add_argument("--max-steps", type=max_steps, help="training steps (5000); -1: until stopped")
    t.add_argument("--batch-size", type=positive_int, help="words per step (default 32)")
    t.add_argument("--lr", type=float, help="AdamW learning rate (default: one per model)")
    t.add_argument("--weight-decay", type=float, help="AdamW weight decay (default 0.01)")
    sizes = t.add_argument_group("model size (each for the models that have it)")
    for knob, meaning in (("--n-layer", "transformer blocks; WaveNet levels (2**N characters)"),
                          ("--n-head", "attention heads (transformer)"),
                          ("--n-embd", "embedding size (every model but bigram)"),
                          ("--n-embd2", "hidden size (mlp, rnn, gru, bow, wavenet)")):  # fmt: skip
        sizes.add_argument(knob, type=positive_int, help=meaning)
    t.add_argument("--device", default="auto", help="auto (CUDA if present), cpu, cuda, cuda:1")
    t.add_argument("--seed", type=seed, help="fixes the split, the model and the batches (3407)")
    t.add_argument("--eval-interval", type=positive_int, help="steps between evaluations (500)")
    t.add_argument("--max-length", type=positive_int, help="leave out longer words")
    t.add_argument("--resume", action="store_true", help="continue the run in --out")
    t.add_argument("--force", action="store_true", help="replace the run in --out")
    t.add_argument(
        "--tensorboard",
        action="store_true",
        help="write losses, learning rate and per-layer histograms to OUT/tensorboard",
    )
    s = sub.add_parser("sample", help="print new words from a trained model")
    s.add_argument("--out", type=Path, required=True, help="directory of the checkpoints")
    s.add_argument("--num", type=positive_int, default=10)
    s.add_argument("--prefix", default="", help="every word starts with this")
    s.add_argument("--temperature", type=float, default=1.0)
    s.add_argument("--top-k", type=positive_int, help="draw from the K likeliest characters only")
    s.add_argument("--seed", type=seed, default=3407)
    s.add_argument("--allow-train", action="store_true", help="allow words of the training file")
    s.add_argument("--input", type=Path, help="the training file, if it has moved")
    return p


def run(args: argparse.Namespace) -> None:
    if args.command == "train":
        from zero_to_hero.cli.train import TrainOptions, train

        options = {k: v for k, v in vars(args).items() if k not in ("command", "debug")}
        train(TrainOptions(**options))
    else:
        from zero_to_hero.cli.sample import sample

        words = sample(args.out, args.num, args.prefix, args.temperature, args.seed,
                       args.allow_train, args.input, args.top_k)  # fmt: skip
        sys.stdout.write("".join(f"{w}\n" for w in words))


def failure(err: BaseException) -> tuple[str, int]:
    """The one line and the exit status for an exception that ended the command."""
    if isinstance(err, errors.CLIError):
        return str(err), err.status
    if isinstance(err, DataError):
        return str(err), errors.InputError.status
    if isinstance(err, KeyboardInterrupt):
        return "interrupted", errors.INTERRUPTED["SIGINT"]
    if isinstance(err, MemoryError) or "can't allocate memory" in str(err):
        return "out of memory: lower --batch-size or --max-length", errors.OutOfMemory.status
    if isinstance(err, OSError):
        return f"{err.strerror or err}: {err.filename or ''}".rstrip(": "), errors.InputError.status
    return (f"internal error ({type(err).__name__}: {str(err)[:200]}); rerun with --debug "
            "and report the traceback", errors.INTERNAL)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)  # a usage error exits 2 with argparse's message
    try:
        run(args)
    except (Exception, KeyboardInterrupt) as err:
        if args.debug:
            raise
        message, status = failure(err)
        print(f"zero-to-hero: error: {' '.join(message.split())}", file=sys.stderr)
        return status
    return errors.OK


if __name__ == "__main__":
    sys.exit(main())
