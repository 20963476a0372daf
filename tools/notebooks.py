"""Keep each executed notebook in step with its source and with the package it imports.

Every tutorial is a pair: ``tutorials/NN_name.py`` (Jupytext percent format, the file people edit)
and ``tutorials/NN_name.ipynb`` (the same cells with their outputs: what the site renders and what
readers download). The notebook's metadata records where it ran and a hash of everything that
can change its outputs (its code cells with the tags that steer their checking, the code of the
``zero_to_hero`` modules they import, the pinned versions of the packages that run in the
kernel), so

    python tools/notebooks.py build [--force] [-j N] [NAME ...]
        re-executes only the notebooks whose inputs changed, and refreshes the markdown of the
        others without running them (a prose edit costs nothing);
    python tools/notebooks.py check
        exits non-zero when a notebook is missing, out of step with its .py, stale, unexecuted,
        holds an error, publishes a figure as text, names an unknown checking rule, or took
        longer than its budget (``budget_s`` in mkdocs.yml's ``extra.lectures``) when last run;
    python tools/notebooks.py verify [-j N] [NOTEBOOK ...]
        re-executes each notebook in a fresh kernel and compares every fresh output with the
        published one, by the rules of ``tools/outputs.py``.

With ``-j N``, N notebooks run at once, each in its own kernel, the longest first. Each notebook
fixes its own torch thread count, so what a cell prints does not depend on the schedule; a
notebook that ran torch on more than one thread (the machine facts of its last run say) runs
alone, since threads that wait for each other on a shared core slow down many times over.

jupyter-cache and mkdocs-jupyter's cache key on the notebook alone; a change under ``src/`` would
leave stale outputs on the page, hence this small layer over jupytext and nbclient.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import datetime as dt
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python tools/notebooks.py`: make `tools` importable
    sys.path.insert(0, str(ROOT))

from tools import downloads, outputs  # noqa: E402

TUTORIALS = ROOT / "tutorials"
PACKAGE = ROOT / "src" / "zero_to_hero"
LOCK = ROOT / "requirements.txt"
META = "zero_to_hero"
CELL_TIMEOUT_S = 1200
# Pages written by a script rather than a notebook, and the script that writes each.
GENERATED_PAGES = {
    ROOT / "docs" / "generated" / name: ROOT / "tools" / "cli_showcase.py"
    for name in ("cli-results.md", "cli-error.md")
}
GENERATED_HEADER = "<!-- written by a script; inputs_sha256: {}; content_sha256: {} -->"
# The kernel itself formats every output (reprs, figures), whatever the notebook imports.
KERNEL_DISTRIBUTIONS = ("ipykernel",)
# The same float code on every x86 machine with AVX2 or more: torch's own kernels, MKL (matmuls)
# and oneDNN pick their code path by the CPU, and AVX2 and AVX-512 paths add in different orders,
# so a model trained on one machine ends up a few percent away from the same model trained on
# another (seen in CI: a WaveNet statistic 0.651 here, 0.702 there). Pinned to AVX2 paths, an
# AVX-512 and an AVX2-only AMD machine printed the same digits. An Intel machine still rounds a
# few operations differently from an AMD one, so details that amplify the last bits (a diverging
# run, every single-minibatch loss) are not compared as numbers (``exempt-trajectory``).
KERNEL_ENV = {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"}

# Run in the kernel after the last cell: where the notebook ran. torch is reported only when
# the notebook imported it; the thread count is the one its last cell left.
MACHINE_FACTS = r"""
import json as _json, os as _os, platform as _platform, sys as _sys
_facts = {"python": _platform.python_version(), "cores": _os.cpu_count()}
try:
    with open("/proc/cpuinfo", encoding="utf-8") as _f:
        _info = _f.read().splitlines()
    _facts["cpu"] = next(l.split(":", 1)[1].strip() for l in _info if l.startswith("model name"))
    # the widest vector instructions: float results and speed differ between AVX2 and AVX-512
    _flags = next(l.split(":", 1)[1].split() for l in _info if l.startswith("flags"))
    _facts["simd"] = next((f for f in ("avx512f", "avx2", "avx") if f in _flags), "none")
except (OSError, StopIteration):
    _facts["cpu"] = _platform.processor() or _platform.machine()
if "torch" in _sys.modules:
    _torch = _sys.modules["torch"]
    _facts["torch"] = _torch.__version__
    _facts["torch_threads"] = _torch.get_num_threads()
    _facts["torch_kernels"] = _torch.backends.cpu.get_cpu_capability().lower()
    _facts["device"] = (
        f"cuda ({_torch.cuda.get_device_name()})" if _torch.cuda.is_available() else "cpu"
    )
print(_json.dumps(_facts))
"""


def machine_description(facts: dict) -> str:
    """Where a notebook ran, from the facts its kernel reported: 'AMD EPYC (2 cores), Python
    3.11.7, torch 2.13.0+cpu on cpu, 1 thread'."""
    if not facts:
        return "an unrecorded machine"
    parts = [f"{facts.get('cpu', 'an unknown CPU')} ({facts.get('cores', '?')} cores)"]
    parts.append(f"Python {facts.get('python', '?')}")
    if "torch" in facts:
        threads = facts.get("torch_threads")
        plural = "thread" if threads == 1 else "threads"
        parts.append(f"torch {facts['torch']} on {facts.get('device', '?')}, {threads} {plural}")
    return ", ".join(parts)


def tutorial_sources(directory: Path = TUTORIALS) -> list[Path]:
    return sorted(directory.glob("[0-9][0-9]_*.py"))


def read_source(py: Path) -> nbformat.NotebookNode:
    """The notebook a .py describes, with cell ids numbered rather than random (stable diffs).
    Solution cells are marked hidden (source and outputs) for Jupyter, which then folds them as
    the site does, so a reader can try an exercise first in a downloaded notebook too."""
    nb = jupytext.read(py)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        if "solution" in cell.metadata.get("tags", []):
            hidden = {"source_hidden": True}
            if cell.cell_type == "code":
                hidden["outputs_hidden"] = True
            cell.metadata["jupyter"] = hidden
    return nb


def setup_cell_problem(py: Path, nb: nbformat.NotebookNode) -> str | None:
    """Why the first code cell of ``nb`` is not the current setup cell (None when it is)."""
    first = next((c for c in nb.cells if c.cell_type == "code"), None)
    if first is None or downloads.SETUP_TAG not in first.metadata.get("tags", []):
        return (
            f"{py.name} has no setup cell: its first code cell must be the one tagged "
            f"`{downloads.SETUP_TAG}` (copy it from another tutorial; `make site` keeps it current)"
        )
    if first.source != downloads.setup_cell_source(downloads.committed_repository_url()):
        return f"{py.name}: its setup cell is not the current one: run `make site`"
    return None


def refresh_setup_cell(py: Path) -> None:
    """Write the current setup cell (template, committed address, install command) into ``py``;
    a tutorial without one is an error that names the file."""
    nb = jupytext.read(py)
    problem = setup_cell_problem(py, nb)
    if problem and "no setup cell" in problem:
        raise ValueError(problem)
    if problem:
        first = next(c for c in nb.cells if c.cell_type == "code")
        first.source = downloads.setup_cell_source(downloads.committed_repository_url())
        jupytext.write(nb, py, fmt="py:percent")


def _code_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _steering_tags(cell: nbformat.NotebookNode) -> list[str]:
    return sorted(t for t in cell.metadata.get("tags", []) if t in outputs.STEERING_TAGS)


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


def code_fingerprint(source: str) -> str:
    """The code of a Python file without what cannot run: comments, blank lines, layout and
    docstrings vanish (the AST keeps none of them), so editing those keeps notebooks fresh. In a
    module with ``from __future__ import annotations`` the type hints of functions are never
    evaluated either, so a typing fix leaves notebooks fresh; class-level annotations stay,
    since a dataclass reads them to find its fields."""
    tree = ast.parse(source)
    postponed = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
        if postponed and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
            for arg in ast.walk(node.args):
                if isinstance(arg, ast.arg):
                    arg.annotation = None
            for inner in ast.walk(node):
                if isinstance(inner, ast.AnnAssign):  # a local's hint is never evaluated
                    inner.annotation = ast.Constant(None)
    return ast.dump(tree)


def kernel_distributions(modules: set[str], package: Path = PACKAGE) -> set[str]:
    """The installed distributions whose code can run in a kernel that imports ``modules``: the
    ones providing them, the kernel's own, and everything those require (extras left out).
    The project's own distribution is left out: its code is hashed file by file."""
    providers = importlib.metadata.packages_distributions()
    own = {downloads.canonical(d) for d in providers.get(package.name, [])}
    todo = [*KERNEL_DISTRIBUTIONS]
    todo += [d for m in modules for d in providers.get(m.split(".")[0], [])]
    seen: set[str] = set()
    while todo:
        name = downloads.canonical(todo.pop())
        if name in seen or name in own:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def _digest(parts: list[bytes], sources: list[str], package: Path, lock: Path) -> str:
    """Hash ``parts`` (code and the tags that steer its checking), the code of the package files
    that ``sources`` import, and the pinned versions of the distributions they run."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    files = package_files(sources, package)
    modules = set()
    for source in sources + [f.read_text(encoding="utf-8") for f in files]:
        modules |= _imported_modules(source)
    for path in files:
        digest.update(b"file\0" + path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(code_fingerprint(path.read_text(encoding="utf-8")).encode())
    pins = downloads.pins(lock)
    for name in sorted(kernel_distributions(modules, package) & set(pins)):
        digest.update(f"pin\0{name}=={pins[name]}\0".encode())
    return digest.hexdigest()


def inputs_sha256(nb: nbformat.NotebookNode, package: Path = PACKAGE, lock: Path = LOCK) -> str:
    """Hash of everything that can change a notebook's outputs: its code cells and the tags that
    steer their comparison, the code of the package modules they import (comments and
    docstrings left out), the pinned versions of the distributions that run in the kernel, and
    the kernel's float code paths (``KERNEL_ENV``). Markdown, other tags, and pins of tools that
    never run in the kernel (linters, the test runner, the site generator) are left out."""
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    parts = []
    for cell in code:
        source = cell.source
        if downloads.SETUP_TAG in cell.metadata.get("tags", []):
            source = downloads.with_repository(source, "")  # the address changes no output
        parts.append(b"cell\0" + source.encode() + b"\0")
        parts.append(b"tags\0" + json.dumps(_steering_tags(cell)).encode() + b"\0")
    parts.append(b"env\0" + json.dumps(KERNEL_ENV, sort_keys=True).encode() + b"\0")
    return _digest(parts, [cell.source for cell in code], package, lock)


def script_inputs_sha256(script: Path, package: Path = PACKAGE, lock: Path = LOCK) -> str:
    """The same hash for a script that writes a page (``tools/cli_showcase.py``): its code, and
    the package modules that it and the ``zero-to-hero`` command it runs import."""
    source = script.read_text(encoding="utf-8")
    command = "import zero_to_hero.__main__"
    return _digest(
        [b"script\0" + code_fingerprint(source).encode()], [source, command], package, lock
    )


def _body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def generated_page(body: str, script: Path) -> str:
    """A page that ``script`` writes: ``body`` under a header with the hash of the code that
    wrote it and the hash of ``body`` itself, so that a hand edit is found as well as stale code."""
    return GENERATED_HEADER.format(script_inputs_sha256(script), _body_sha256(body)) + "\n" + body


def generated_page_problems(page: Path, script: Path) -> list[str]:
    """A page written by ``script`` must carry the hash of the code that wrote it, current, and
    the hash of its own body, unedited."""
    run_it = f"run `python {script.relative_to(ROOT)}`"
    if not page.exists():
        return [f"{page.name} is missing: {run_it}"]
    first, _, body = page.read_text(encoding="utf-8").partition("\n")
    pattern = re.escape(GENERATED_HEADER).replace(re.escape("{}"), r"(\w*)")
    header = re.fullmatch(pattern, first)
    if header is None or header[1] != script_inputs_sha256(script):
        return [
            f"{page.name} is stale: {script.name}, the package or the kernel's pinned packages "
            f"changed since it was written: {run_it}"
        ]
    if header[2] != _body_sha256(body):
        return [f"{page.name} was edited by hand (its content hash differs): {run_it}"]
    return []


def _same_cells(a: nbformat.NotebookNode, b: nbformat.NotebookNode) -> bool:
    def shape(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str], str | None]]:
        return [
            (c.cell_type, c.source, list(c.metadata.get("tags", [])), c.metadata.get("alt"))
            for c in nb.cells
        ]

    return shape(a) == shape(b)


def execute(nb: nbformat.NotebookNode, cwd: Path) -> tuple[float, dict]:
    """Run every cell in a fresh kernel; raises on the first error. Returns the seconds taken
    and the machine facts the kernel reported after the last cell."""
    nb.cells.append(nbformat.v4.new_code_cell(MACHINE_FACTS))
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
    )
    try:
        client.execute(env={**os.environ, **KERNEL_ENV})
    finally:
        probe = nb.cells.pop()
    seconds = time.perf_counter() - start
    printed = "".join(o.get("text", "") for o in probe.outputs if o.output_type == "stream")
    return seconds, json.loads(printed)


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
    refresh_setup_cell(py)
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
        seconds, machine = execute(executed, py.parent)
        _take_outputs(nb, executed)
        nb.metadata[META] = {
            "inputs_sha256": key,
            "executed_on": dt.date.today().isoformat(),
            "execution_seconds": round(seconds, 1),
            "machine": machine,
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
    setup = setup_cell_problem(py, source)
    if setup:
        found.append(setup)
    if not _same_cells(source, nb):
        found.append(f"{ipynb.name} is out of sync with {py.name}: run `make site`")
    if nb.metadata.get(META, {}).get("inputs_sha256") != inputs_sha256(source, package, lock):
        found.append(
            f"{ipynb.name} is stale: its outputs were made from other code (the .py, its checking "
            f"tags, the package or the kernel's pinned packages changed since): run `make site`"
        )
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if cell.execution_count is None:
            found.append(f"{ipynb.name} cell {i} was never executed")
        if any(out.output_type == "error" for out in cell.outputs):
            found.append(f"{ipynb.name} cell {i} holds an error output")
        for text in outputs.figure_reprs(cell.outputs):
            found.append(
                f"{ipynb.name} cell {i} publishes a figure as the text {text!r}, not a picture"
            )
        try:
            outputs.rule_for(cell)
        except ValueError as err:
            found.append(f"{ipynb.name} cell {i}: {err}")
    return found


def budget_problems(py: Path, config: Path = ROOT / "mkdocs.yml") -> list[str]:
    """A notebook whose last execution took longer than its budget (one table: mkdocs.yml)."""
    lectures = yaml.safe_load(config.read_text(encoding="utf-8"))["extra"]["lectures"]
    budget = lectures.get(py.stem, {}).get("budget_s")
    if budget is None:
        return [f"{py.stem} has no execution budget (budget_s in mkdocs.yml's extra.lectures)"]
    seconds = _recorded_seconds(py.with_suffix(".ipynb"))
    if seconds > budget:
        return [
            f"{py.stem}.ipynb took {seconds:.0f} s when last executed, over its budget of "
            f"{budget} s: make it faster, or raise budget_s in mkdocs.yml and say why"
        ]
    return []


def run_many(
    function, items: list, jobs: int, seconds: dict | None = None, alone: set | None = None
):
    """``function(item)`` for every item: those in ``alone`` one after another, then the rest
    ``jobs`` at a time in separate processes, the longest first (by ``seconds``). Yields
    (item, result) as each finishes."""
    order = sorted(items, key=lambda item: -(seconds or {}).get(item, 0))
    solo = [item for item in order if jobs <= 1 or item in (alone or set())]
    for item in solo:
        yield item, function(item)
    rest = [item for item in order if item not in solo]
    if not rest:
        return
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
        futures = {pool.submit(function, item): item for item in rest}
        for future in concurrent.futures.as_completed(futures):
            yield futures[future], future.result()


def _record(ipynb: Path) -> dict:
    return nbformat.read(ipynb, as_version=4).metadata.get(META, {}) if ipynb.exists() else {}


def _recorded_seconds(ipynb: Path) -> float:
    return _record(ipynb).get("execution_seconds", 0.0)


def _multithreaded(ipynb: Path) -> bool:
    """Whether the notebook's last run left torch on more than one thread (or is unrecorded)."""
    return _record(ipynb).get("machine", {}).get("torch_threads", 2) > 1


def _build_one(item: tuple[Path, bool]) -> str:
    py, force = item
    return build(py, force=force)


def orphans(directory: Path = TUTORIALS) -> list[str]:
    return [
        f"{nb.name} has no paired .py source"
        for nb in sorted(directory.glob("*.ipynb"))
        if not nb.with_suffix(".py").exists()
    ]


def verify(ipynb: Path, package: Path = PACKAGE, lock: Path = LOCK) -> outputs.Comparison:
    """Re-execute a published notebook in a fresh kernel and compare every output with the
    published one. Problems that ``check`` finds are reported as mismatches too."""
    published = nbformat.read(ipynb, as_version=4)
    py = ipynb.with_suffix(".py")
    found = problems(py, package, lock) if py.exists() else [f"{ipynb.name} has no .py source"]
    fresh = copy.deepcopy(published)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    try:
        execute(fresh, ipynb.parent)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        # one notebook that raises or hangs fails itself, not the run: the others still verify
        if isinstance(err, CellExecutionError):
            why = f"{err.ename}: {err.evalue}"
        else:
            why = next((line for line in str(err).splitlines() if line.strip()), repr(err))
        return outputs.Comparison(mismatches=[*found, f"execution stopped: {why}"])
    result = outputs.compare_notebooks(published, fresh)
    result.mismatches[:0] = found
    return result


def report(name: str, result: outputs.Comparison) -> str:
    lines = [f"{name}: {result.summary()}"]
    lines += [f"  exempt: cell {i} ({tag}: {outputs.EXEMPTIONS[tag]})" for i, tag in result.exempt]
    lines += [f"  MISMATCH {m}" for m in result.mismatches]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="execute stale notebooks, refresh the rest")
    build_cmd.add_argument("names", nargs="*", help="tutorial names or prefixes (default: all)")
    build_cmd.add_argument("--force", action="store_true", help="execute even if up to date")
    sub.add_parser("check", help="fail if any notebook is missing, out of sync or stale")
    verify_cmd = sub.add_parser("verify", help="re-execute notebooks and compare every output")
    verify_cmd.add_argument("notebooks", nargs="*", type=Path, help="default: every tutorial")
    for command in (build_cmd, verify_cmd):
        command.add_argument("-j", "--jobs", type=int, default=1, help="notebooks run at once")
    args = parser.parse_args(argv)

    sources = tutorial_sources()
    if args.command == "check":
        found = orphans() + [p for py in sources for p in problems(py) + budget_problems(py)]
        found += [
            p
            for page, script in GENERATED_PAGES.items()
            for p in generated_page_problems(page, script)
        ]
        for problem in found:
            print(f"notebook check: {problem}", file=sys.stderr)
        print(f"notebook check: {len(sources)} tutorials, {len(found)} problems")
        return 1 if found else 0
    if args.command == "verify":
        chosen = [p.resolve() for p in args.notebooks]
        chosen = chosen or [py.with_suffix(".ipynb") for py in sources]
        for ipynb in chosen:
            if not ipynb.is_file():
                parser.error(f"{ipynb}: no such notebook")
        seconds = {ipynb: _recorded_seconds(ipynb) for ipynb in chosen}
        alone = {ipynb for ipynb in chosen if _multithreaded(ipynb)}
        failed = 0
        for ipynb, result in run_many(verify, chosen, args.jobs, seconds, alone):
            print(report(ipynb.name, result), flush=True)
            failed += bool(result.mismatches)
        print(f"verify: {len(chosen) - failed} passed, {failed} failed")
        return 1 if failed else 0

    chosen = [
        py for py in sources if not args.names or any(py.stem.startswith(n) for n in args.names)
    ]
    if args.names and not chosen:
        parser.error(f"no tutorial matches {args.names}")
    seconds = {(py, args.force): _recorded_seconds(py.with_suffix(".ipynb")) for py in chosen}
    alone = {item for item in seconds if _multithreaded(item[0].with_suffix(".ipynb"))}
    for (py, _), done in run_many(_build_one, list(seconds), args.jobs, seconds, alone):
        print(f"{py.stem}: {done}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
