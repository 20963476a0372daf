"""MkDocs hook: publish ``tutorials/`` and say on every page how to run a lecture yourself.

* The executed notebooks become pages (mkdocs-jupyter renders them, so ``on_files`` must run
  before its own, hence the priority), and the paired ``.py`` sources are copied as static files
  so the download buttons on each lecture page resolve.
* "Run it yourself" (``tools/downloads.py``): ``mkdocs build`` builds the package's wheel into
  ``downloads/`` with the pinned ``requirements.txt``; each lecture page gets the install command
  and, when the repository's address is known (``extra.repository`` in mkdocs.yml, or
  ``ZTH_REPO_URL`` for one build), an "Open in Colab" button and the header's repository link.
  The landing page's ``<!-- run-it-yourself -->`` becomes the same facts in prose.
* A build whose address differs from the committed one publishes copies of the notebooks whose
  setup cell installs from it; the committed notebooks are not touched or re-executed.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tools import downloads
from tools.hooks import lectures

# Copies of the tutorials for a build whose repository address is not the committed one.
RETARGETED = lectures.ROOT / "build" / "retargeted" / "tutorials"
DOWNLOADS = "downloads"
RUN_IT_YOURSELF = "<!-- run-it-yourself -->"
_command = {"name": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _command["name"] = command  # `mkdocs serve` skips the wheel


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    repo_url = downloads.repository_url()
    config.extra["run"] = {
        "repo_url": repo_url,
        "wheel": downloads.wheel_name(),
        "command": downloads.install_command(),
    }
    if repo_url:
        config.repo_url = repo_url
    return config


def retarget(path: Path, repo_url: str) -> Path:
    """Write a copy of a tutorial file whose setup cell installs from ``repo_url`` into
    ``RETARGETED``, and return that folder."""
    RETARGETED.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".ipynb":
        notebook = copy.deepcopy(lectures.notebook(path))  # the shared one stays as committed
        for cell in notebook["cells"]:
            if downloads.SETUP_TAG in cell.get("metadata", {}).get("tags", []):
                source = downloads.with_repository(lectures.text(cell["source"]), repo_url)
                cell["source"] = source.splitlines(keepends=True)
        text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    else:
        text = downloads.with_repository(path.read_text(encoding="utf-8"), repo_url)
    (RETARGETED / path.name).write_text(text, encoding="utf-8")
    return RETARGETED


@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    repo_url = config.extra["run"]["repo_url"]
    retargeting = repo_url != downloads.committed_repository_url()
    for path in sorted(lectures.TUTORIALS.glob("[0-9][0-9]_*.*")):
        if path.suffix in {".ipynb", ".py"}:
            source_dir = retarget(path, repo_url) if retargeting else lectures.TUTORIALS
            files.append(
                File(
                    f"tutorials/{path.name}",
                    src_dir=str(source_dir.parent),
                    dest_dir=config.site_dir,
                    use_directory_urls=config.use_directory_urls,
                )
            )
    return files


def run_it_yourself_markdown(config: MkDocsConfig) -> str:
    """The landing page's "Run it yourself" section: the same facts as each lecture's box."""
    run = config.extra["run"]
    repo = f"[the repository]({run['repo_url']})" if run["repo_url"] else "the repository"
    colab = (
        " or open it in Colab with the button on its page (its first cell installs the package)"
        if run["repo_url"]
        else ""
    )
    # HTML links: the wheel and requirements.txt are written after the pages, so a Markdown link
    # to them would fail the strict build's link check
    return "\n".join(
        [
            "Every lecture page has the notebook to download; to run it in your own Jupyter"
            f'{colab}, install the course package, <a href="{DOWNLOADS}/{run["wheel"]}">'
            f"<code>{run['wheel']}</code></a>, with the versions the pages were executed with"
            f' (all of them pinned in <a href="{DOWNLOADS}/requirements.txt">'
            "<code>requirements.txt</code></a>):",
            "",
            "```text",
            run["command"],
            "```",
            "",
            "The notebook's first cell checks that the package is there and says what to do if it"
            " is not. The data (names.txt, Tiny Shakespeare, the GPT-2 and GPT-4 tokenizer files)"
            " download on first use into `~/.cache/zero-to-hero` and are checked against their"
            " published SHA-256; offline, put the files in a folder and set `ZTH_DATA_DIR` to it."
            f" To change the code or the pages, clone {repo} and run `make site` (see its README).",
        ]
    )


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if RUN_IT_YOURSELF in markdown:
        markdown = markdown.replace(RUN_IT_YOURSELF, run_it_yourself_markdown(config))
    return markdown


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """Give a lecture page's template the downloads folder and its Colab address."""
    if lectures.is_lecture(page):
        page.meta["downloads"] = "../" * page.url.count("/") + DOWNLOADS
        repo_url = config.extra["run"]["repo_url"]
        page.meta["colab"] = (
            downloads.colab_url(repo_url, Path(page.file.src_uri).name) if repo_url else None
        )
    return context


def on_post_build(config: MkDocsConfig) -> None:
    if _command["name"] == "build":  # the package and its pins, for "Run it yourself"
        target = Path(config.site_dir) / DOWNLOADS
        try:
            built = downloads.build_wheel(lectures.ROOT, target)
        except RuntimeError as err:
            raise PluginError(str(err)) from None
        if built.name != config.extra["run"]["wheel"]:
            raise PluginError(f"built {built.name}, but the pages link to a different wheel")
        shutil.copy2(lectures.ROOT / "requirements.txt", target / "requirements.txt")
