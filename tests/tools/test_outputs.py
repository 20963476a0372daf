"""The output comparison bites: each rule is proved on mutated copies of published notebooks."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
import pytest

from tools import notebooks, outputs

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = ROOT / "tutorials"


def published(name: str) -> nbformat.NotebookNode:
    return nbformat.read(TUTORIALS / f"{name}.ipynb", as_version=4)


def cell_tagged(nb: nbformat.NotebookNode, tag: str, text: str) -> int:
    return next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and tag in c.metadata.get("tags", []) and text in c.source
    )


def edit_stdout(cell: nbformat.NotebookNode, old: str, new: str) -> None:
    stream = next(o for o in cell.outputs if o.output_type == "stream" and old in o.text)
    stream.text = stream.text.replace(old, new)


def test_an_unmodified_notebook_matches_itself():
    nb = published("03_makemore_mlp")
    result = outputs.compare_notebooks(nb, copy.deepcopy(nb))
    assert result.mismatches == []
    assert result.counts["exact"] > 0 and result.counts["tolerance"] > 0


def test_a_hand_edited_trained_number_fails_outside_its_tolerance_and_passes_inside():
    nb = published("03_makemore_mlp")
    i = cell_tagged(nb, "headline", "Karpathy: train 2.1260")
    rule = outputs.rule_for(nb.cells[i])
    assert rule.kind == "tolerance-loss"
    dev = nb.cells[i].outputs[0].text.split("dev ")[1].split()[0]
    edited = copy.deepcopy(nb)
    edit_stdout(edited.cells[i], f"dev {dev}", "dev 2.0000")
    found = outputs.compare_notebooks(edited, nb).mismatches
    assert len(found) == 1 and f"cell {i}" in found[0] and "2.0000" in found[0]
    nearby = f"{float(dev) + rule.tolerance.atol / 2:.4f}"
    edited = copy.deepcopy(nb)
    edit_stdout(edited.cells[i], f"dev {dev}", f"dev {nearby}")
    assert outputs.compare_notebooks(edited, nb).mismatches == []


def test_a_changed_word_in_a_tolerance_cell_fails():
    nb = published("03_makemore_mlp")
    i = cell_tagged(nb, "headline", "Karpathy: train 2.1260")
    edited = copy.deepcopy(nb)
    edit_stdout(edited.cells[i], "dev", "test")
    assert "the words differ" in outputs.compare_notebooks(edited, nb).mismatches[0]


def test_an_edited_exact_output_fails():
    nb = published("01_micrograd")
    i = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "f(3.0)" in c.source)
    edited = copy.deepcopy(nb)
    result = edited.cells[i].outputs[0]
    assert result.data["text/plain"] == "20.0"
    result.data["text/plain"] = "20.000001"
    found = outputs.compare_notebooks(edited, nb).mismatches
    assert found == [f"cell {i}: execute_result text/plain: published '20.000001', fresh '20.0'"]


def _figure_cells(nb: nbformat.NotebookNode) -> list[int]:
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and any("image/png" in o.get("data", {}) for o in c.outputs)
    ]


def _png(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return next(o for o in cell.outputs if "image/png" in o.get("data", {}))


def test_two_swapped_figures_fail():
    nb = published("01_micrograd")
    loss_curve = next(i for i in _figure_cells(nb) if "semilogy" in nb.cells[i].source)
    boundary = _figure_cells(nb)[-1]
    edited = copy.deepcopy(nb)
    a, b = _png(edited.cells[loss_curve]), _png(edited.cells[boundary])
    a.data["image/png"], b.data["image/png"] = b.data["image/png"], a.data["image/png"]
    found = outputs.compare_notebooks(edited, nb).mismatches
    assert {m.split(":")[0] for m in found} == {f"cell {loss_curve}", f"cell {boundary}"}
    assert all("the figure differs" in m for m in found)


def test_a_redrawn_figure_fails_and_the_same_figure_passes():
    nb = published("01_micrograd")
    i = _figure_cells(nb)[0]
    png = _png(nb.cells[i]).data["image/png"]
    assert outputs.image_rms(png, png) == 0
    pixels = outputs._pixels(png).copy()
    pixels[: pixels.shape[0] // 4] = 0  # a quarter of the figure blacked out
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    redrawn = base64.b64encode(buffer.getvalue()).decode()
    assert outputs.image_rms(png, redrawn) > 20


def test_a_missing_figure_fails():
    nb = published("01_micrograd")
    i = _figure_cells(nb)[0]
    edited = copy.deepcopy(nb)
    edited.cells[i].outputs = [
        o for o in edited.cells[i].outputs if "image/png" not in o.get("data", {})
    ]
    assert "differ in kind" in outputs.compare_notebooks(edited, nb).mismatches[0]


def test_timings_addresses_and_progress_bars_are_masked():
    assert outputs.mask("3,000 steps in 250 s, 73 ms per step") == outputs.mask(
        "3,000 steps in 241.5 s, 61 ms per step"
    )
    assert outputs.mask("<Value at 0x7f3a2b1c9d10>") == outputs.mask("<Value at 0x7f00deadbeef>")
    assert outputs.mask("3,000 steps") != outputs.mask("3,001 steps")


def test_numbers_are_read_with_signs_exponents_and_thousands():
    tol = outputs.Tolerance(atol=0.0, rtol=0.0, image_rms=0, why="")
    assert (
        outputs.compare_numbers(
            "mean -0.0000, 1,234 steps, 5.6e-09", "mean +0.0000, 1,234 steps, 5.6e-09", tol
        )
        == []
    )
    assert outputs.compare_numbers("[1, 2]", "[1, 3]", tol)
    assert outputs.compare_numbers("1,234", "1,235", tol)


def test_exempt_cells_are_counted_and_listed_with_their_reason():
    nb = published("03_makemore_mlp")
    i = cell_tagged(nb, "exempt-samples", "sample_words")
    edited = copy.deepcopy(nb)
    edited.cells[i].outputs[0].text = "anything at all\n"
    result = outputs.compare_notebooks(edited, nb)
    assert result.mismatches == []
    assert (i, "exempt-samples") in result.exempt
    assert result.counts["exempt"] >= 1
    report = notebooks.report("03_makemore_mlp.ipynb", result)
    assert f"exempt: cell {i} (exempt-samples: text sampled" in report


def test_unknown_or_conflicting_checking_tags_are_refused():
    cell = nbformat.v4.new_code_cell("1", metadata={"tags": ["nbval-ignore-output"]})
    with pytest.raises(ValueError, match="unknown checking tag 'nbval-ignore-output'"):
        outputs.rule_for(cell)
    cell = nbformat.v4.new_code_cell("1", metadata={"tags": ["tolerance-loss", "exempt-samples"]})
    with pytest.raises(ValueError, match="one checking tag per cell"):
        outputs.rule_for(cell)
    assert (
        outputs.rule_for(nbformat.v4.new_code_cell("1", metadata={"tags": ["headline"]})).kind
        == "exact"
    )


@pytest.fixture
def lecture_copy(tmp_path):
    """A copy of lecture 1's pair, checked against the real package and lock."""
    for suffix in (".py", ".ipynb"):
        shutil.copy(TUTORIALS / f"01_micrograd{suffix}", tmp_path / f"01_micrograd{suffix}")
    py = tmp_path / "01_micrograd.py"
    assert notebooks.problems(py) == []
    return py


def test_a_figure_published_as_its_repr_fails_check(lecture_copy):
    ipynb = lecture_copy.with_suffix(".ipynb")
    nb = nbformat.read(ipynb, as_version=4)
    i = _figure_cells(nb)[0]
    _png(nb.cells[i]).data = {"text/plain": "<Figure size 500x300 with 1 Axes>"}
    nbformat.write(nb, ipynb)
    assert notebooks.problems(lecture_copy) == [
        f"01_micrograd.ipynb cell {i} publishes a figure as the text "
        "'<Figure size 500x300 with 1 Axes>', not a picture"
    ]


def test_a_checking_tag_added_to_a_cell_makes_the_notebook_stale(lecture_copy):
    text = lecture_copy.read_text(encoding="utf-8")
    marker = "# %%\ndef f(x):"
    assert marker in text
    lecture_copy.write_text(text.replace(marker, '# %% tags=["tolerance-loss"]\ndef f(x):'))
    assert any("is stale" in p for p in notebooks.problems(lecture_copy))


def test_a_tag_that_does_not_steer_checking_keeps_the_notebook_fresh(lecture_copy):
    text = lecture_copy.read_text(encoding="utf-8")
    lecture_copy.write_text(text.replace("# %%\ndef f(x):", '# %% tags=["headline"]\ndef f(x):'))
    assert not any("is stale" in p for p in notebooks.problems(lecture_copy))


@pytest.fixture
def package_copy(tmp_path):
    target = tmp_path / "zero_to_hero"
    shutil.copytree(ROOT / "src" / "zero_to_hero", target)
    return target


def test_comments_and_docstrings_in_the_package_keep_notebooks_fresh(package_copy):
    nb = notebooks.read_source(TUTORIALS / "01_micrograd.py")
    before = notebooks.inputs_sha256(nb, package_copy)
    engine = package_copy / "micrograd" / "engine.py"
    source = engine.read_text(encoding="utf-8")
    engine.write_text(source.replace('"""', '"""A reworded docstring. ', 1) + "\n# a comment\n")
    assert notebooks.inputs_sha256(nb, package_copy) == before
    engine.write_text(source + "\nEXTRA = 1\n")
    assert notebooks.inputs_sha256(nb, package_copy) != before


def test_type_hints_of_functions_keep_notebooks_fresh_but_dataclass_fields_do_not(package_copy):
    nb = notebooks.read_source(TUTORIALS / "07_gpt.py")
    before = notebooks.inputs_sha256(nb, package_copy)
    model = package_copy / "gpt" / "model.py"
    source = model.read_text(encoding="utf-8")
    assert "from __future__ import annotations" in source and ") -> torch.Tensor:" in source
    model.write_text(source.replace(") -> torch.Tensor:", ") -> typing.Any:"))
    assert notebooks.inputs_sha256(nb, package_copy) == before, "hints never run"
    assert "    n_embd: int" in source, "the config is a dataclass whose fields are annotations"
    model.write_text(source.replace("    n_embd: int", "    n_embd: typing.ClassVar[int]", 1))
    assert notebooks.inputs_sha256(nb, package_copy) != before, "a dataclass reads them"


def _hashes(lock: Path) -> dict[str, str]:
    return {
        py.stem: notebooks.inputs_sha256(notebooks.read_source(py), lock=lock)
        for py in notebooks.tutorial_sources()
    }


def test_tool_pins_leave_notebooks_fresh_and_kernel_pins_make_them_stale(tmp_path):
    lock = tmp_path / "requirements.txt"
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    lock.write_text(pins)
    before = _hashes(lock)
    for tool in ("ruff", "pytest", "mkdocs-material", "hypothesis"):
        assert f"\n{tool}==" in pins
    bumped = pins
    for tool in ("ruff", "pytest", "mkdocs-material", "hypothesis"):
        bumped = bumped.replace(f"\n{tool}==", f"\n{tool}==99.0  # was ")
    lock.write_text(bumped)
    assert _hashes(lock) == before, "a linter, test runner or site generator cannot change outputs"

    lock.write_text(pins.replace("\ntorch==", "\ntorch==99.0  # was "))
    after = _hashes(lock)
    stale = {name for name in before if after[name] != before[name]}
    # lecture 8 (the tokenizer) never imports torch; every other lecture runs it
    assert stale == set(before) - {"08_tokenizer"}

    lock.write_text(pins.replace("\nipykernel==", "\nipykernel==99.0  # was "))
    assert all(_hashes(lock)[name] != before[name] for name in before), "the kernel runs them all"
