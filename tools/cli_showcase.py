"""Train every model of the ``zero-to-hero`` command on names.txt and write what happened.

Writes ``docs/generated/cli-results.md`` (included by ``docs/cli.md``): a table of each model's
size flags, parameters, steps, best validation loss, training time and samples, and the console
output of one real run; and ``docs/generated/cli-error.md``, one real error. Run it after
changing the command line or its models:

    .venv/bin/python tools/cli_showcase.py [--max-steps 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from zero_to_hero.cli import checkpoint
from zero_to_hero.cli.models import MODELS, REGISTRY, build_model
from zero_to_hero.data import data_path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python tools/cli_showcase.py`: make `tools` importable
    sys.path.insert(0, str(ROOT))

from tools.notebooks import (  # noqa: E402
    MACHINE_FACTS,
    generated_page,
    machine_description,
)

OUTPUT = ROOT / "docs" / "generated" / "cli-results.md"
ERROR = ROOT / "docs" / "generated" / "cli-error.md"


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zero_to_hero", *args], capture_output=True,
                          text=True, check=check)  # fmt: skip


def run_python(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-steps", type=int, default=5000)
    args = parser.parse_args()
    names = str(data_path("names.txt"))
    load = os.getloadavg()[0]  # other work on the machine slows the training times below
    rows, transcript = [], ""
    for model in MODELS:
        out = ROOT / "build" / "cli" / model
        steps = args.max_steps
        train = ["train", "--model", model, "--input", names, "--out", str(out),
                 "--max-steps", str(steps), "--eval-interval", str(steps // 5)]  # fmt: skip
        start = time.perf_counter()
        result = run(*train, "--force")  # replaces the previous showcase's run
        seconds = time.perf_counter() - start
        sample = ["sample", "--out", str(out), "--num", "8", "--seed", "1"]
        words = run(*sample).stdout.split()
        state = checkpoint.load(out, checkpoint.BEST)
        net = build_model(state["kind"], state["config"])
        params = sum(p.numel() for p in net.parameters())
        sizes = ", ".join(f"{k} {state['config'][k]}" for k in REGISTRY[model].knobs) or "-"
        rows.append(f"| `{model}` | {sizes} | {params:,} | {state['step']:,} "
                    f"| {state['best_val']:.4f} | {seconds:.0f} s "
                    f"| {', '.join(words)} |")  # fmt: skip
        if model == "transformer":
            command = " ".join(["zero-to-hero", *train]).replace(names, "names.txt")
            command = command.replace(str(ROOT) + "/", "")
            transcript = (f"$ {command}\n{result.stdout}"
                          f"$ {' '.join(['zero-to-hero', *sample]).replace(str(ROOT) + '/', '')}\n"
                          + "\n".join(words) + "\n")  # fmt: skip
    # where the command ran: the facts a fresh process with torch reports, as for the notebooks
    probe = [sys.executable, "-c", "import torch\n" + MACHINE_FACTS]
    machine = machine_description(json.loads(run_python(probe)))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    results = [
        f"Measured by `tools/cli_showcase.py` on {time.strftime('%Y-%m-%d')}, on {machine} "
        f"(load average {load:.1f} when it started), {args.max_steps:,} steps of batch 32 per "
        "model, default hyperparameters:",
        "",
        "| model | size flags | parameters | best checkpoint at step | val loss | "
        "training time | samples (`--seed 1`, new words only) |",
        "|---|---|--:|--:|--:|--:|---|",
        *rows,
        "",
        "The console output of the transformer's run (the progress bar, on stderr, is left out):",
        "",
        "```console",
        transcript.rstrip("\n"),
        "```",
        "",
    ]
    OUTPUT.write_text(generated_page("\n".join(results), Path(__file__)), encoding="utf-8")
    out = ROOT / "build" / "cli" / "transformer"
    bad = run("sample", "--out", str(out), "--prefix", "zoë", check=False)
    assert bad.returncode == 2  # a bad flag (docs/cli.md lists the exit statuses)
    error = (
        "```console\n$ zero-to-hero sample --out runs/names --prefix zoë\n"
        f"{bad.stderr}$ echo $?\n{bad.returncode}\n```\n"
    )
    ERROR.write_text(generated_page(error, Path(__file__)), encoding="utf-8")
    print(OUTPUT.read_text(encoding="utf-8"), ERROR.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
