"""The notebook pipeline: the execution cache, the freshness check, and verification bite."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from tools import downloads, notebooks

ROOT = Path(__file__).resolve().parents[2]

TUTORIAL = """\
# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A demo

# %% tags=["setup"]
{setup}

# %%
from pkg.mod import X

print(6 * 7 * X)
""".replace("{setup}", downloads.setup_cell_source(""))


@pytest.fixture
def project(tmp_path):
    package = tmp_path / "tutorials" / "pkg"  # beside the notebook, so its kernel can import it
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text("from pkg.helper import ONE\n\nX = ONE\n")
    (package / "helper.py").write_text("ONE = 1\n")
    (package / "unused.py").write_text("Y = 2\n")
    (tmp_path / "lock.txt").write_text("torch==2.13.0\n")
    py = tmp_path / "tutorials" / "01_demo.py"
    py.write_text(TUTORIAL)
    return py


def build(py, **kw):
    return notebooks.build(py, package=py.parent / "pkg", lock=py.parent.parent / "lock.txt", **kw)


def problems(py):
    return notebooks.problems(py, package=py.parent / "pkg", lock=py.parent.parent / "lock.txt")


def test_build_executes_then_caches(project):
    assert problems(project) == ["01_demo.py has no executed 01_demo.ipynb: run `make site`"]
    assert build(project).startswith("executed in")
    nb = nbformat.read(project.with_suffix(".ipynb"), as_version=4)
    assert nb.cells[2].outputs[0].text == "42\n"
    assert nb.metadata["zero_to_hero"]["execution_seconds"] >= 0
    assert problems(project) == []
    assert build(project) == "up to date"


def test_markdown_edit_refreshes_without_executing(project):
    build(project)
    before = nbformat.read(project.with_suffix(".ipynb"), as_version=4)
    project.write_text(TUTORIAL.replace("# A demo", "# A better demo"))
    assert any("out of sync" in p for p in problems(project))
    assert build(project) == "refreshed (markdown only)"
    after = nbformat.read(project.with_suffix(".ipynb"), as_version=4)
    assert after.cells[0].source == "# A better demo"
    assert after.metadata["zero_to_hero"] == before.metadata["zero_to_hero"]
    assert problems(project) == []


def test_an_edited_figure_description_is_out_of_sync_until_refreshed(project):
    """A figure's alt text lives in its cell's metadata, which the site reads from the .ipynb."""
    with_alt = TUTORIAL.replace("# %%\nfrom pkg", '# %% alt="The answer."\nfrom pkg')
    project.write_text(with_alt)
    build(project)
    assert problems(project) == []
    project.write_text(with_alt.replace("The answer.", "Forty-two."))
    assert any("out of sync" in p for p in problems(project))
    assert build(project) == "refreshed (markdown only)"
    nb = nbformat.read(project.with_suffix(".ipynb"), as_version=4)
    assert nb.cells[2].metadata["alt"] == "Forty-two." and nb.cells[2].outputs
    assert problems(project) == []


def test_only_imported_package_code_makes_the_notebook_stale(project):
    build(project)
    package = project.parent / "pkg"
    (package / "unused.py").write_text("Y = 3\n")
    assert problems(project) == [], "a module the notebook never imports cannot change it"
    (package / "helper.py").write_text("ONE = 2\n")  # imported through pkg.mod
    assert [p for p in problems(project) if "stale" in p]
    assert build(project).startswith("executed")
    assert problems(project) == []
    nb = nbformat.read(project.with_suffix(".ipynb"), as_version=4)
    assert nb.cells[2].outputs[0].text == "84\n"


def test_package_files_follow_imports(project):
    package = project.parent / "pkg"
    files = notebooks.package_files(["%matplotlib inline\nimport pkg.mod as m"], package)
    assert [f.name for f in files] == ["__init__.py", "helper.py", "mod.py"]


def test_code_change_makes_the_notebook_stale_and_out_of_sync(project):
    build(project)
    project.write_text(TUTORIAL.replace("6 * 7", "6 * 9"))
    found = problems(project)
    assert any("stale" in p for p in found) and any("out of sync" in p for p in found)
    build(project)
    nb = nbformat.read(project.with_suffix(".ipynb"), as_version=4)
    assert nb.cells[2].outputs[0].text == "54\n"


def test_unexecuted_and_error_cells_are_reported(project):
    build(project)
    ipynb = project.with_suffix(".ipynb")
    nb = nbformat.read(ipynb, as_version=4)
    nb.cells[2].execution_count = None
    nb.cells[2].outputs = [
        nbformat.v4.new_output("error", ename="NameError", evalue="x", traceback=[])
    ]
    nbformat.write(nb, ipynb)
    found = problems(project)
    assert any("never executed" in p for p in found)
    assert any("error output" in p for p in found)


def test_a_failing_cell_fails_the_build_and_writes_nothing(project):
    project.write_text(TUTORIAL.replace("print(6 * 7 * X)", "raise ValueError('broken')"))
    with pytest.raises(CellExecutionError, match="broken"):
        build(project)
    assert not project.with_suffix(".ipynb").exists()


def test_orphan_notebook(project):
    (project.parent / "02_lost.ipynb").write_text(json.dumps(nbformat.v4.new_notebook()))
    assert notebooks.orphans(project.parent) == ["02_lost.ipynb has no paired .py source"]


def test_committed_tutorials_are_in_sync_and_fresh():
    sources = notebooks.tutorial_sources()
    assert sources, "no tutorials found"
    assert notebooks.orphans() == []
    for py in sources:
        assert notebooks.problems(py) == []


def test_solution_cells_hold_no_headings():
    """The site folds every run of cells tagged ``solution`` into one closed block, so a heading
    in one (the next exercise, say) would be hidden inside the solution before it."""
    for py in notebooks.tutorial_sources():
        for i, cell in enumerate(notebooks.read_source(py).cells):
            if "solution" in cell.metadata.get("tags", []) and cell.cell_type == "markdown":
                headings = [line for line in cell.source.splitlines() if line.startswith("#")]
                assert not headings, f"{py.name}, cell {i}: heading in a solution cell: {headings}"


def test_verify_passes_a_faithful_notebook_and_fails_an_edited_output(project):
    """The first cells of lecture 1, re-executed: unchanged they verify, with one output edited
    they do not."""
    nb = nbformat.read(ROOT / "tutorials" / "01_micrograd.ipynb", as_version=4)
    target = next(
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "f(3.0)" in c.source
    )
    nb.cells = nb.cells[: target + 1]
    copy = project.parent / "copy.ipynb"
    nbformat.write(nb, copy)
    result = notebooks.verify(copy)
    assert result.mismatches == ["copy.ipynb has no .py source"]

    nb.cells[target].outputs[0].data["text/plain"] = "21.0"
    nbformat.write(nb, copy)
    result = notebooks.verify(copy)
    assert result.mismatches[1:] == [
        f"cell {target}: execute_result text/plain: published '21.0', fresh '20.0'"
    ]


def test_verify_reports_a_cell_that_raises_and_goes_on(project, tmp_path):
    """A notebook whose cell raises (or times out) is one failure with the reason, not a crash
    of the whole verification run."""
    build(project)
    ipynb = project.with_suffix(".ipynb")
    nb = nbformat.read(ipynb, as_version=4)
    nb.cells[2].source = "raise RuntimeError('the loss went nan')"
    nbformat.write(nb, ipynb)
    result = notebooks.verify(ipynb, package=project.parent / "pkg")
    assert result.mismatches[-1].startswith("execution stopped: ")
    assert result.mismatches[-1] == "execution stopped: RuntimeError: the loss went nan"


def test_build_records_where_the_notebook_ran(project):
    build(project)
    machine = nbformat.read(project.with_suffix(".ipynb"), as_version=4).metadata["zero_to_hero"][
        "machine"
    ]
    assert machine["cores"] >= 1 and machine["cpu"] and machine["python"].startswith("3.")
    assert machine["simd"] in {"avx512f", "avx2", "avx", "none"}
    assert "torch" not in machine, "the demo never imports torch, so no torch facts"


def test_the_kernel_runs_on_the_pinned_float_code_paths(project, monkeypatch):
    project.write_text(TUTORIAL + '\n# %%\nimport os\n\nprint(os.environ["ATEN_CPU_CAPABILITY"])\n')
    monkeypatch.delenv("ATEN_CPU_CAPABILITY", raising=False)
    build(project)
    nb = nbformat.read(project.with_suffix(".ipynb"), as_version=4)
    assert nb.cells[-1].outputs[0].text == notebooks.KERNEL_ENV["ATEN_CPU_CAPABILITY"] + "\n"
    assert problems(project) == []
    pins = {**notebooks.KERNEL_ENV, "MKL_CBWR": "COMPATIBLE"}
    monkeypatch.setattr(notebooks, "KERNEL_ENV", pins)
    assert any("stale" in p for p in problems(project)), "another float code path: re-execute"


def test_verify_command_reports_and_exits_non_zero_on_a_mismatch(project, capsys):
    build(project)
    ipynb = project.with_suffix(".ipynb")
    nb = nbformat.read(ipynb, as_version=4)
    nb.cells[2].outputs[0].text = "43\n"
    nbformat.write(nb, ipynb)
    assert notebooks.verify(ipynb, package=project.parent / "pkg").mismatches


def test_a_notebook_over_its_budget_fails_check(tmp_path):
    py = tmp_path / "01_micrograd.py"
    ipynb = ROOT / "tutorials" / "01_micrograd.ipynb"
    nb = nbformat.read(ipynb, as_version=4)
    seconds = nb.metadata["zero_to_hero"]["execution_seconds"]
    nbformat.write(nb, py.with_suffix(".ipynb"))
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"extra:\n  lectures:\n    01_micrograd: {{budget_s: {int(seconds) + 1}}}\n")
    assert notebooks.budget_problems(py, config) == []
    config.write_text(f"extra:\n  lectures:\n    01_micrograd: {{budget_s: {int(seconds) - 1}}}\n")
    assert "over its budget" in notebooks.budget_problems(py, config)[0]
    config.write_text("extra:\n  lectures: {}\n")
    assert "has no execution budget" in notebooks.budget_problems(py, config)[0]


def test_run_many_runs_every_item_longest_first_in_parallel():
    results = dict(notebooks.run_many(abs, [-1, -5, -3], jobs=2, seconds={-5: 9, -3: 5}))
    assert results == {-1: 1, -5: 5, -3: 3}
    assert [item for item, _ in notebooks.run_many(abs, [-1, -5, -3], 1, {-5: 9, -3: 5})] == [
        -5,
        -3,
        -1,
    ]
    # a multithreaded notebook runs alone, before the others share the cores
    ran = [item for item, _ in notebooks.run_many(abs, [-1, -5, -3], 2, {-5: 9}, alone={-3})]
    assert ran[0] == -3 and sorted(ran[1:]) == [-5, -1]


def test_the_cache_key_holds_the_kernels_pins_and_not_the_tools(tmp_path):
    """Bumping a linter, test runner or site tool re-executes nothing; bumping what the kernel
    runs (torch, numpy, matplotlib, regex, tiktoken) makes every notebook that runs it stale."""
    lock = (ROOT / "requirements.txt").read_text().splitlines()

    def keys(name: str | None = None) -> list[str]:
        path = tmp_path / f"{name}.txt"
        bumped = [
            f"{line.split('==')[0]}==999.0"
            if downloads.canonical(line.split("==")[0]) == name
            else line
            for line in lock
        ]
        assert (bumped != lock) == (name is not None), name
        path.write_text("\n".join(bumped) + "\n")
        return [
            notebooks.inputs_sha256(notebooks.read_source(py), lock=path)
            for py in notebooks.tutorial_sources()
        ]

    today = keys()
    for tool in ("ruff", "pytest", "mypy", "mkdocs-material", "pre-commit"):
        assert keys(tool) == today, f"{tool}'s pin makes notebooks stale"
    names = [py.stem for py in notebooks.tutorial_sources()]

    def stale(name: str) -> set[str]:
        return {nb for nb, a, b in zip(names, keys(name), today, strict=True) if a != b}

    # lecture 8 (tokenizers) imports neither torch nor numpy nor matplotlib, so they cannot
    # change its outputs; regex and tiktoken run there
    for kernel in ("torch", "numpy", "matplotlib"):
        assert stale(kernel) == set(names) - {"08_tokenizer"}, kernel
    for kernel in ("regex", "tiktoken"):
        assert "08_tokenizer" in stale(kernel), kernel
