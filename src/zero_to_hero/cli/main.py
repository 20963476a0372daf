"""The ``zero-to-hero`` command: argument parsing, and one-line errors instead of tracebacks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zero_to_hero.cli.checkpoint import CheckpointError
from zero_to_hero.cli.models import MODELS
from zero_to_hero.data import DataError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="zero-to-hero",
        description="Train the course's character-level models on your own word list, and "
        "sample new words from them.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a model on a file of words, one per line")
    t.add_argument("--model", choices=MODELS, required=True)
    t.add_argument("--input", type=Path, required=True, help="UTF-8 text, one word per line")
    t.add_argument("--out", type=Path, required=True, help="directory for the checkpoint")
    t.add_argument("--steps", type=int, default=5000)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--lr", type=float, help="AdamW learning rate (default: one per model)")
    t.add_argument("--device", default="auto", help="auto (CUDA if present), cpu, cuda, cuda:1")
    t.add_argument("--seed", type=int, default=3407)
    t.add_argument("--eval-interval", type=int, default=500)
    t.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out")
    t.add_argument(
        "--tensorboard",
        action="store_true",
        help="write losses, learning rate and per-layer histograms to OUT/tensorboard",
    )
    s = sub.add_parser("sample", help="print new words from a trained model")
    s.add_argument("--out", type=Path, required=True, help="directory of the checkpoint")
    s.add_argument("--num", type=int, default=10)
    s.add_argument("--prefix", default="", help="every word starts with this")
    s.add_argument("--temperature", type=float, default=1.0)
    s.add_argument("--seed", type=int, default=3407)
    s.add_argument("--allow-train", action="store_true", help="allow words of the training file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "train":
            from zero_to_hero.cli.train import TrainOptions, train

            train(TrainOptions(
                model=args.model, input=args.input, out=args.out, steps=args.steps,
                batch_size=args.batch_size, lr=args.lr, device=args.device, seed=args.seed,
                resume=args.resume, tensorboard=args.tensorboard,
                eval_interval=args.eval_interval,
            ))  # fmt: skip
        else:
            from zero_to_hero.cli.sample import sample

            for word in sample(args.out, args.num, args.prefix, args.temperature, args.seed,
                               args.allow_train):  # fmt: skip
                print(word)
    except (DataError, CheckpointError, ValueError) as err:
        print(f"zero-to-hero: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
