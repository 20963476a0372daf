"""Run it yourself: the install command, the repository address, the setup cell, the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from pathlib import Path

import jupytext
import pytest

from tools import downloads, notebooks

ROOT = Path(__file__).resolve().parents[2]


def test_the_install_command_pins_what_the_notebooks_import():
    command = downloads.install_command()
    pins = downloads.pins()
    assert command.startswith(f"pip install {downloads.wheel_name()} ")
    for name in ("torch", "numpy", "matplotlib", "regex", "tiktoken", "tqdm", "sentencepiece"):
        assert f" {name}=={pins[name]}" in command
    assert "pytest" not in command and "mkdocs" not in command


def test_a_dependency_without_a_pin_is_an_error(tmp_path):
    lock = tmp_path / "requirements.txt"
    lock.write_text("torch==2.13.0\n")
    with pytest.raises(ValueError, match="pins no version of numpy"):
        downloads.install_command(lock)


def test_the_wheel_is_named_by_the_package_version():
    import zero_to_hero

    assert downloads.package_version() == zero_to_hero.__version__
    assert downloads.wheel_name() == f"zero_to_hero-{zero_to_hero.__version__}-py3-none-any.whl"


def test_the_repository_address_is_committed_empty_and_overridable(monkeypatch):
    monkeypatch.delenv("ZTH_REPO_URL", raising=False)
    assert downloads.committed_repository_url() == ""
    assert downloads.repository_url() == ""
    monkeypatch.setenv("ZTH_REPO_URL", "https://github.com/example-org/zero-to-hero/")
    assert downloads.repository_url() == "https://github.com/example-org/zero-to-hero"


def test_colab_opens_github_notebooks_only():
    url = downloads.colab_url("https://github.com/example-org/zero-to-hero", "07_gpt.ipynb")
    assert url == (
        "https://colab.research.google.com/github/example-org/zero-to-hero/blob/main/"
        "tutorials/07_gpt.ipynb"
    )
    assert downloads.colab_url("https://gitlab.com/a/b", "07_gpt.ipynb") is None


def test_changing_the_address_leaves_every_notebook_fresh():
    for py in notebooks.tutorial_sources():
        nb = notebooks.read_source(py)
        before = notebooks.inputs_sha256(nb)
        setup = next(c for c in nb.cells if "setup" in c.metadata.get("tags", []))
        setup.source = downloads.with_repository(setup.source, "https://github.com/o/r")
        assert 'REPO_URL = "https://github.com/o/r"' in setup.source
        assert notebooks.inputs_sha256(nb) == before, py.name


def _run_setup_cell(repo_url: str, monkeypatch, colab: bool = False, install: bool = False):
    """Execute the setup cell as a reader's kernel would, with the package not importable."""
    calls = []
    monkeypatch.setitem(sys.modules, "zero_to_hero", None)  # `import zero_to_hero` fails
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))

    def pip(command, check):
        calls.append(command)
        monkeypatch.delitem(sys.modules, "zero_to_hero")  # "installed": the import now works

    monkeypatch.setattr(subprocess, "run", pip)
    source = downloads.setup_cell_source(repo_url)
    if install:
        source = source.replace("INSTALL = False", "INSTALL = True")
    exec(compile(source, "setup cell", "exec"), {})
    return calls


def test_the_setup_cell_stops_with_the_command_when_the_package_is_missing(monkeypatch):
    with pytest.raises(ModuleNotFoundError) as err:
        _run_setup_cell("", monkeypatch)
    assert downloads.install_command() in str(err.value)
    with pytest.raises(ModuleNotFoundError, match="set INSTALL = True"):
        _run_setup_cell("https://github.com/o/r", monkeypatch)  # not Colab: never on its own


def test_the_setup_cell_installs_from_the_repository_in_colab_or_when_asked(monkeypatch, capsys):
    package = "zero-to-hero @ git+https://github.com/o/r"
    calls = _run_setup_cell("https://github.com/o/r", monkeypatch, colab=True)
    assert calls == [[sys.executable, "-m", "pip", "install", "--quiet", package]]
    assert f"installing {package}" in capsys.readouterr().out
    calls = _run_setup_cell("https://github.com/o/r", monkeypatch, install=True)
    assert calls and calls[0][-1] == package
    with pytest.raises(ModuleNotFoundError):  # Colab without an address: nothing to install
        _run_setup_cell("", monkeypatch, colab=True)


def test_the_setup_cell_prints_the_version_when_the_package_imports(capsys):
    import zero_to_hero

    exec(compile(downloads.setup_cell_source(""), "setup cell", "exec"), {})
    assert capsys.readouterr().out == f"zero_to_hero {zero_to_hero.__version__}\n"


def test_a_tutorial_without_its_setup_cell_fails_check_and_build(tmp_path):
    py = tmp_path / "01_micrograd.py"
    shutil.copy(ROOT / "tutorials" / "01_micrograd.py", py)
    shutil.copy(ROOT / "tutorials" / "01_micrograd.ipynb", tmp_path / "01_micrograd.ipynb")
    assert notebooks.problems(py) == []
    nb = jupytext.read(py)
    nb.cells = [c for c in nb.cells if "setup" not in c.metadata.get("tags", [])]
    jupytext.write(nb, py, fmt="py:percent")
    assert notebooks.problems(py)[0].startswith("01_micrograd.py has no setup cell")
    with pytest.raises(ValueError, match=r"01_micrograd\.py has no setup cell"):
        notebooks.build(py)


def test_an_outdated_setup_cell_is_refreshed_by_build(tmp_path):
    py = tmp_path / "08_tokenizer.py"
    shutil.copy(ROOT / "tutorials" / "08_tokenizer.py", py)
    text = py.read_text(encoding="utf-8")
    py.write_text(text.replace("INSTALL = False", "INSTALL = False  # edited"), encoding="utf-8")
    assert "is not the current one" in notebooks.setup_cell_problem(py, jupytext.read(py))
    notebooks.refresh_setup_cell(py)
    assert py.read_text(encoding="utf-8") == text


def test_a_wheel_that_fails_to_build_names_the_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'broken'\nversion = \n")
    with pytest.raises(RuntimeError, match=f"{tmp_path / 'pyproject.toml'} failed to build"):
        downloads.build_wheel(tmp_path, tmp_path / "out")


def test_the_wheel_builds_and_holds_the_package(tmp_path):
    import zipfile

    wheel = downloads.build_wheel(ROOT, tmp_path)
    assert wheel.name == downloads.wheel_name()
    names = zipfile.ZipFile(wheel).namelist()
    assert "zero_to_hero/__init__.py" in names and "zero_to_hero/gpt/model.py" in names
