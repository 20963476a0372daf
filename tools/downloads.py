"""What a reader needs to run a downloaded lecture outside the repository.

* The package, built by ``make site`` as a wheel into the site (``downloads/``), with the pinned
  ``requirements.txt`` beside it, and :func:`install_command`: the one ``pip install`` line that
  puts the wheel and the pinned versions of what the notebooks import into any environment.
* The repository's public address, in one committed setting (``extra.repository`` in
  ``mkdocs.yml``, empty while it is undecided), which the environment variable ``ZTH_REPO_URL``
  overrides for one build (forks, tests); from it, each lecture's "Open in Colab" address.
* The setup cell, the first code cell of every notebook (tagged ``setup``): it prints the
  package's version when the package imports; otherwise, in Colab it installs the package from
  the repository, and elsewhere it stops with the command to run (or installs, if the reader
  sets ``INSTALL = True`` in the cell). The ``REPO_URL = ...`` line is the only part that the
  address changes, and the staleness hash leaves that line out, so setting or changing the
  address re-executes nothing.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = ROOT / "mkdocs.yml"
LOCK = ROOT / "requirements.txt"
PACKAGE_INIT = ROOT / "src" / "zero_to_hero" / "__init__.py"
TUTORIALS = ROOT / "tutorials"
SETUP_TAG = "setup"
REPO_LINE = re.compile(r"^REPO_URL = .*$", re.MULTILINE)
# What the notebooks import besides the package and the standard library; with the package's own
# dependencies, these are pinned in the install command. IPython comes with every Jupyter.
NOTEBOOK_ONLY = ("sentencepiece",)


def package_version(init: Path = PACKAGE_INIT) -> str:
    """``zero_to_hero.__version__``, read without importing the package."""
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__version__":
            return str(ast.literal_eval(node.value))
    raise ValueError(f"{init} defines no __version__")


def wheel_name(version: str | None = None) -> str:
    return f"zero_to_hero-{version or package_version()}-py3-none-any.whl"


def canonical(name: str) -> str:
    """A distribution's name as pip compares it (``Jinja2`` and ``jinja2`` are one)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path = LOCK) -> dict[str, str]:
    """The exact versions a requirements file pins, by canonical name."""
    found = {}
    if lock.exists():
        for line in lock.read_text(encoding="utf-8").splitlines():
            requirement = line.split("#", 1)[0].strip()
            if "==" in requirement:
                name, version = requirement.split("==", 1)
                found[canonical(name)] = version.strip()
    return found


def _dependencies(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    import tomllib

    names = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    return [canonical(re.split(r"[<>=!~ \[;]", name, maxsplit=1)[0]) for name in names]


def install_command(lock: Path = LOCK) -> str:
    """``pip install`` the site's wheel with the versions the published pages were executed
    with: the package's dependencies and what only the notebooks import, pinned."""
    pinned = pins(lock)
    names = [*_dependencies(), *NOTEBOOK_ONLY]
    missing = [name for name in names if name not in pinned]
    if missing:
        raise ValueError(f"{lock.name} pins no version of {', '.join(missing)}")
    return " ".join(["pip install", wheel_name(), *(f"{n}=={pinned[n]}" for n in names)])


def committed_repository_url(config: Path = MKDOCS) -> str:
    """The repository's address as committed (``extra.repository`` in mkdocs.yml)."""
    extra = yaml.safe_load(config.read_text(encoding="utf-8")).get("extra", {})
    return (extra.get("repository") or "").strip().rstrip("/")


def repository_url(config: Path = MKDOCS) -> str:
    """The address for this build: ``ZTH_REPO_URL`` if set, else the committed one."""
    override = os.environ.get("ZTH_REPO_URL")
    if override is None:
        return committed_repository_url(config)
    return override.strip().rstrip("/")


def colab_url(repo_url: str, notebook: str, branch: str = "main") -> str | None:
    """Colab's address for a notebook in a GitHub repository (Colab opens no other host)."""
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?", repo_url)
    if not match:
        return None
    owner, repo = match.groups()
    return (
        f"https://colab.research.google.com/github/{owner}/{repo}/blob/{branch}/"
        f"tutorials/{notebook}"
    )


SETUP_CELL = """\
# Run it yourself: this notebook needs the course package, zero_to_hero. This cell checks that it
# is installed; in Colab it installs it. Elsewhere, install it as "Run it yourself" on the
# lecture's page says, or set INSTALL = True to let this cell install it from the repository.
import subprocess
import sys

REPO_URL = {repo_url}  # the course repository (empty: not published yet)
INSTALL = False
COMMAND = {command}

try:
    import zero_to_hero
except ModuleNotFoundError:
    if not (REPO_URL and (INSTALL or "google.colab" in sys.modules)):
        hint = f", or set INSTALL = True to install it from {{REPO_URL}}" if REPO_URL else ""
        raise ModuleNotFoundError(
            "zero_to_hero is not installed: download its wheel from the lecture's page and run "
            f"{{COMMAND}}{{hint}}"
        ) from None
    package = f"zero-to-hero @ git+{{REPO_URL}}"
    print(f"zero_to_hero is not installed; installing {{package}}")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
    import zero_to_hero
print(f"zero_to_hero {{zero_to_hero.__version__}}")"""


def setup_cell_source(repo_url: str, command: str | None = None) -> str:
    # double-quoted literals, as ruff's formatter writes them
    return SETUP_CELL.format(
        repo_url=json.dumps(repo_url), command=json.dumps(command or install_command())
    )


def with_repository(source: str, repo_url: str) -> str:
    """A setup cell's source pointing at another repository address."""
    return REPO_LINE.sub(
        f"REPO_URL = {json.dumps(repo_url)}  # the course repository (empty: not published yet)",
        source,
    )


def build_wheel(project: Path, target: Path) -> Path:
    """Build the package's wheel into ``target``; a failure names the project file and says why."""
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
             "--wheel-dir", scratch, str(project)],
            capture_output=True, text=True,
        )  # fmt: skip
        wheels = sorted(Path(scratch).glob("*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            why = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise RuntimeError(
                f"the wheel of {project / 'pyproject.toml'} failed to build: " + " | ".join(why)
            )
        built = target / wheels[0].name
        built.write_bytes(wheels[0].read_bytes())
    return built
