"""Keep each executed notebook in step with its source and with the package it imports.

Every tutorial is a pair: ``tutorials/NN_name.py`` (Jupytext percent format, the file people edit)
and ``tutorials/NN_name.ipynb`` (the same cells with their outputs: what the site renders and what
readers download). The notebook's metadata records a hash of everything its outputs depend on
(its code cells, the ``zero_to_hero`` modules they import and the pinned requirements), so

    python tools/notebooks.py build [--force] [NAME ...]
        re-executes only the notebooks whose inputs changed, and refreshes the markdown of the
        others without running them (a prose edit costs nothing);
    python tools/notebooks.py check
        exits non-zero when a notebook is missing, out of step with its .py, stale, unexecuted or
        holds an error, which is what CI needs: nbval alone passes a notebook with no outputs.

jupyter-cache and mkdocs-jupyter's cache key on the notebook alone; a change under ``src/`` would
leave stale outputs on the page, hence this small layer over jupytext and nbclient.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime as dt
import hashlib
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "tutorials"
PACKAGE = ROOT / "src" / "zero_to_hero"
LOCK = ROOT / "requirements.txt"
META = "zero_to_hero"
CELL_TIMEOUT_S = 1200


def tutorial_sources(directory: Path = TUTORIALS) -> list[Path]:
    return sorted(directory.glob("[0-9][0-9]_*.py"))


def read_source(py: Path) -> nbformat.NotebookNode:
    """The notebook a .py describes, with cell ids numbered rather than random (stable diffs)."""
    nb = jupytext.read(py)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def _code_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _imported_modules(source: str) -> set[str]:
    """Absolute module names imported by ``source`` (IPython magics and shell lines skipped)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    names = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def package_files(sources: list[str], package: Path = PACKAGE) -> list[Path]:
    """The files of the package that ``sources`` import, directly or through other modules.

    Importing ``zero_to_hero.a.b`` runs ``zero_to_hero/__init__.py``, ``a/__init__.py`` and
    ``a/b.py`` (or ``a/b/__init__.py``), and whatever those import in turn. The package uses
    absolute imports only (ruff enforces it), so following them finds every file that can change
    a notebook's outputs.
    """
    found: set[Path] = set()
    todo = list(sources)
    while todo:
        for name in _imported_modules(todo.pop()):
            parts = name.split(".")
            if parts[0] != package.name:
                continue
            for depth in range(1, len(parts) + 1):
                base = package.joinpath(*parts[1:depth])
                for candidate in (base / "__init__.py", base.with_suffix(".py")):
                    if candidate.is_file() and candidate not in found:
                        found.add(candidate)
                        todo.append(candidate.read_text(encoding="utf-8"))
    return sorted(found)


def inputs_sha256(nb: nbformat.NotebookNode, package: Path = PACKAGE, lock: Path = LOCK) -> str:
    """Hash of everything a notebook's outputs depend on: its code cells, the package modules
    they import, and the pinned requirements. Markdown and cell tags are left out."""
    digest = hashlib.sha256()
    sources = _code_sources(nb)
    for source in sources:
        digest.update(b"cell\0" + source.encode() + b"\0")
    for path in package_files(sources, package):
        digest.update(b"file\0" + path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    if lock.exists():
        digest.update(b"lock\0" + lock.read_bytes())
    return digest.hexdigest()


def _same_cells(a: nbformat.NotebookNode, b: nbformat.NotebookNode) -> bool:
    def shape(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
        return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]

    return shape(a) == shape(b)


def execute(nb: nbformat.NotebookNode, cwd: Path) -> float:
    """Run every cell in a fresh kernel; raises on the first error. Returns seconds taken."""
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
    )
    client.execute()
    return time.perf_counter() - start


def _take_outputs(nb: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> None:
    """Copy outputs, execution counts and language info from ``executed`` into ``nb``."""
    old_code = [c for c in executed.cells if c.cell_type == "code"]
    new_code = [c for c in nb.cells if c.cell_type == "code"]
    for before, after in zip(old_code, new_code, strict=True):
        after.outputs = before.outputs
        after.execution_count = before.execution_count
    if "language_info" in executed.metadata:
        nb.metadata["language_info"] = executed.metadata["language_info"]


def build(py: Path, force: bool = False, package: Path = PACKAGE, lock: Path = LOCK) -> str:
    """Bring ``py``'s notebook up to date; returns what was done."""
    nb = read_source(py)
    key = inputs_sha256(nb, package, lock)
    ipynb = py.with_suffix(".ipynb")
    old = nbformat.read(ipynb, as_version=4) if ipynb.exists() else None
    record = old.metadata.get(META, {}) if old is not None else {}
    fresh = (
        old is not None
        and record.get("inputs_sha256") == key
        and _code_sources(old) == _code_sources(nb)
    )
    if fresh and not force:
        _take_outputs(nb, old)
        nb.metadata[META] = record
        done = "up to date"
    else:
        executed = copy.deepcopy(nb)
        seconds = execute(executed, py.parent)
        _take_outputs(nb, executed)
        nb.metadata[META] = {
            "inputs_sha256": key,
            "executed_on": dt.date.today().isoformat(),
            "execution_seconds": round(seconds, 1),
        }
        done = f"executed in {seconds:.1f} s"
    text = jupytext.writes(nb, fmt="ipynb")
    if not ipynb.exists() or text != ipynb.read_text(encoding="utf-8"):
        ipynb.write_text(text, encoding="utf-8")
        if done == "up to date":
            done = "refreshed (markdown only)"
    return done


def problems(py: Path, package: Path = PACKAGE, lock: Path = LOCK) -> list[str]:
    """Why ``py``'s published notebook cannot be trusted (empty when it can)."""
    ipynb = py.with_suffix(".ipynb")
    if not ipynb.exists():
        return [f"{py.name} has no executed {ipynb.name}: run `make site`"]
    nb = nbformat.read(ipynb, as_version=4)
    source = read_source(py)
    found = []
    if not _same_cells(source, nb):
        found.append(f"{ipynb.name} is out of sync with {py.name}: run `make site`")
    if nb.metadata.get(META, {}).get("inputs_sha256") != inputs_sha256(source, package, lock):
        found.append(
            f"{ipynb.name} is stale: its outputs were made from other code (the .py, the package "
            f"or the requirements changed since): run `make site`"
        )
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if cell.execution_count is None:
            found.append(f"{ipynb.name} cell {i} was never executed")
        if any(out.output_type == "error" for out in cell.outputs):
            found.append(f"{ipynb.name} cell {i} holds an error output")
    return found


def orphans(directory: Path = TUTORIALS) -> list[str]:
    return [
        f"{nb.name} has no paired .py source"
        for nb in sorted(directory.glob("*.ipynb"))
        if not nb.with_suffix(".py").exists()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="execute stale notebooks, refresh the rest")
    build_cmd.add_argument("names", nargs="*", help="tutorial names or prefixes (default: all)")
    build_cmd.add_argument("--force", action="store_true", help="execute even if up to date")
    sub.add_parser("check", help="fail if any notebook is missing, out of sync or stale")
    args = parser.parse_args(argv)

    sources = tutorial_sources()
    if args.command == "check":
        found = orphans() + [p for py in sources for p in problems(py)]
        for problem in found:
            print(f"notebook check: {problem}", file=sys.stderr)
        print(f"notebook check: {len(sources)} tutorials, {len(found)} problems")
        return 1 if found else 0

    chosen = [
        py for py in sources if not args.names or any(py.stem.startswith(n) for n in args.names)
    ]
    if args.names and not chosen:
        parser.error(f"no tutorial matches {args.names}")
    for py in chosen:
        print(f"{py.stem}: ", end="", flush=True)
        print(build(py, force=args.force), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
