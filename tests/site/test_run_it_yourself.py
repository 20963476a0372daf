"""A downloaded lecture runs outside the repository, and the repository address reaches every page.

The slow test does what a new reader does: builds nothing itself, takes the wheel, the install
command and two notebooks from the built site, installs them into a fresh virtual environment in
a temporary directory outside the repository, and executes the notebooks there top to bottom.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import downloads

ROOT = Path(__file__).resolve().parents[2]
LECTURES = sorted(p.stem for p in (ROOT / "tutorials").glob("[0-9][0-9]_*.py"))
EXAMPLE = "https://github.com/example-org/zero-to-hero"


def _page(site: Path, lecture: str) -> str:
    return (site / "tutorials" / lecture / "index.html").read_text(encoding="utf-8")


def _setup_source(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if c["cell_type"] == "code")
    assert "setup" in cell["metadata"]["tags"], f"{notebook.name}: the first code cell is not setup"
    return "".join(cell["source"])


def _printed(cell: dict) -> str:
    """A code cell's printed text (nbformat stores a stream's text as a string or a list)."""
    texts = (o.get("text", "") for o in cell["outputs"])
    return "".join(t if isinstance(t, str) else "".join(t) for t in texts)


def test_every_lecture_page_says_how_to_run_it(site):
    command = downloads.install_command()
    wheel = site / "downloads" / downloads.wheel_name()
    assert wheel.is_file() and (site / "downloads" / "requirements.txt").is_file()
    for lecture in LECTURES:
        page = _page(site, lecture)
        assert "Run it yourself" in page, lecture
        assert html.escape(command, quote=False) in page, lecture
        assert f'href="../../downloads/{wheel.name}"' in page, lecture
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert html.escape(command, quote=False) in landing and "ZTH_DATA_DIR" in landing


def test_without_an_address_there_is_no_colab_button_and_no_install_from_git(site, monkeypatch):
    monkeypatch.delenv("ZTH_REPO_URL", raising=False)
    assert downloads.repository_url() == ""
    for lecture in LECTURES:
        assert "colab.research.google.com" not in _page(site, lecture), lecture
        assert 'REPO_URL = ""' in _setup_source(site / "tutorials" / lecture / f"{lecture}.ipynb")


def test_a_build_with_an_address_links_colab_and_installs_from_it(tmp_path):
    target = tmp_path / "site"
    env = {**os.environ, "ZTH_REPO_URL": EXAMPLE, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(target)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    for lecture in LECTURES:
        page = _page(target, lecture)
        colab = downloads.colab_url(EXAMPLE, f"{lecture}.ipynb")
        assert f'href="{colab}"' in page, lecture
        assert f'href="{EXAMPLE}"' in page, f"{lecture}: the header links the repository"
        for copy in (
            target / "tutorials" / lecture / f"{lecture}.ipynb",
            target / "tutorials" / f"{lecture}.py",
        ):
            text = copy.read_text(encoding="utf-8")
            assert f'REPO_URL = \\"{EXAMPLE}\\"' in text or f'REPO_URL = "{EXAMPLE}"' in text
    # the committed notebooks are untouched: the address lives only in the site's copies
    for lecture in LECTURES:
        assert 'REPO_URL = ""' in _setup_source(ROOT / "tutorials" / f"{lecture}.ipynb")


@pytest.fixture(scope="module")
def reader_env(site, tmp_path_factory):
    """A fresh virtual environment outside the repository, set up as the page says."""
    home = tmp_path_factory.mktemp("reader")
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
    python = home / "venv" / "bin" / "python"
    page = _page(site, LECTURES[0])
    command = html.unescape(re.search(r"<pre><code>(pip install [^<]+)</code></pre>", page)[1])
    assert command == downloads.install_command()
    pins = downloads.pins()
    jupyter = [f"ipykernel=={pins['ipykernel']}", f"nbclient=={pins['nbclient']}"]
    # run the page's command where the reader saved the wheel (here: the site's downloads)
    install = [str(python), "-m", *command.split()[0:2], "--quiet", *command.split()[2:], *jupyter]
    result = subprocess.run(
        install, cwd=site / "downloads", capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return home, python


@pytest.mark.parametrize("lecture", ["08_tokenizer", "01_micrograd"])
def test_a_downloaded_notebook_runs_outside_the_repository(site, reader_env, lecture):
    home, python = reader_env
    notebook = home / f"{lecture}.ipynb"
    shutil.copy(site / "tutorials" / lecture / f"{lecture}.ipynb", notebook)  # the download
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    where = "import zero_to_hero, pathlib; print(pathlib.Path(zero_to_hero.__file__).resolve())"
    nb["cells"].append({"cell_type": "code", "metadata": {}, "source": where,
                        "outputs": [], "execution_count": None})  # fmt: skip
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run = subprocess.run(
        [str(python.parent / "jupyter-execute"), "--inplace", "--timeout=900", str(notebook)],
        cwd=home, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    printed = _printed(cells[-1])
    assert printed.startswith(str(home / "venv")), f"imported from {printed!r}, not the wheel"
    assert str(ROOT) not in printed
    setup = next(c for c in cells if c["cell_type"] == "code")
    assert _printed(setup).startswith("zero_to_hero ")
