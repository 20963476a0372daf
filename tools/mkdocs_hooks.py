"""MkDocs hooks: publish ``tutorials/``, generate the results page, serve notebook CSS once.

* The executed notebooks become pages (mkdocs-jupyter renders them, so ``on_files`` must run
  before its own, hence the priority), and the paired ``.py`` sources are copied as static files
  so the download buttons on each lecture page resolve.
* ``results.md`` is generated from the executed notebooks at every build: the output of each
  cell tagged ``headline`` (our numbers, printed beside Karpathy's), and an execution report from
  the metadata ``tools/notebooks.py`` stores (run time, date, the machine the kernel reported).
  Nothing on it is typed by hand; lecture pages show the same machine facts in their header.
* mkdocs-jupyter inlines the same ~570 KB of notebook CSS into every notebook page. ``on_post_page``
  moves each distinct ``<style>`` block into one file under ``assets/notebook/`` and links it, so
  a reader downloads it once and every lecture page gets that much lighter; ``on_post_build``
  keeps only the rules the notebook pages' classes can match (``tools/notebook_css.py``: 575 KB
  of JupyterLab's interface styles become about a tenth of that).
* "Run it yourself" (``tools/downloads.py``): ``mkdocs build`` builds the package's wheel into
  ``downloads/`` with the pinned ``requirements.txt``; each lecture page gets the install command
  and, when the repository's address is known (``extra.repository`` in mkdocs.yml, or
  ``ZTH_REPO_URL`` for one build), an "Open in Colab" button and the header's repository link.
  A build whose address differs from the committed one publishes copies of the notebooks whose
  setup cell installs from it; the committed notebooks are not touched or re-executed.
* MathJax is served by the site itself (``assets/mathjax/``, copied from the pinned
  ``django-static-mathjax`` package): math renders without a CDN, offline and in the browser test.
  Only its parts that typeset TeX as HTML are copied (no menu: it alone is 426 KB), and only
  pages with formulas load it (``page.meta["math"]``, read by ``docs/javascripts/mathjax.js``).
* Figures get their descriptions from the notebook, and prompts, copy buttons and outputs are
  kept out of the search index (``tools/site_pages.py``).
* ``site_url`` comes from ``ZTH_SITE_URL`` when it is set: Material's instant navigation and the
  sitemap need the site's address, which only the one who publishes it knows.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import mathjax
import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from tools import downloads, notebook_css, outputs, site_pages
from tools.notebooks import machine_description
from tools.outputs import EXEMPTIONS

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "tutorials"
# Copies of the tutorials for a build whose repository address is not the committed one.
RETARGETED = ROOT / "build" / "retargeted" / "tutorials"
DOWNLOADS = "downloads"
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
RUN_IT_YOURSELF = "<!-- run-it-yourself -->"
_styles: dict[str, str] = {}
_notebook_classes: set[str] = set()
# each lecture page's notebook, read once in on_page_content and used again in on_page_context
_notebooks: dict[str, dict] = {}
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
    site_url = os.environ.get("ZTH_SITE_URL", "").strip()
    if site_url:
        config.site_url = site_url.rstrip("/") + "/"
    return config


def _retarget(path: Path, repo_url: str) -> Path:
    """A copy of a tutorial file whose setup cell installs from ``repo_url``."""
    RETARGETED.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        notebook = json.loads(text)
        for cell in notebook["cells"]:
            if downloads.SETUP_TAG in cell.get("metadata", {}).get("tags", []):
                source = downloads.with_repository(_text(cell["source"]), repo_url)
                cell["source"] = source.splitlines(keepends=True)
        text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    else:
        text = downloads.with_repository(text, repo_url)
    (RETARGETED / path.name).write_text(text, encoding="utf-8")
    return RETARGETED


@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    repo_url = config.extra["run"]["repo_url"]
    retarget = repo_url != downloads.committed_repository_url()
    for path in sorted(TUTORIALS.glob("[0-9][0-9]_*.*")):
        if path.suffix in {".ipynb", ".py"}:
            source_dir = _retarget(path, repo_url) if retarget else ROOT / "tutorials"
            files.append(
                File(
                    f"tutorials/{path.name}",
                    src_dir=str(source_dir.parent),
                    dest_dir=config.site_dir,
                    use_directory_urls=config.use_directory_urls,
                )
            )
    files.append(File.generated(config, "results.md", content=results_markdown()))
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


def _is_notebook(page: Page) -> bool:
    return page.file.src_uri.startswith("tutorials/") and page.file.src_uri.endswith(".ipynb")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Describe a notebook page's figures and keep its noise out of search (``site_pages``);
    note whether the page has formulas. Runs before the search plugin indexes the page."""
    if not _is_notebook(page):
        page.meta["math"] = 'class="arithmatex"' in html
        return html
    notebook = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    _notebooks[page.file.abs_src_path] = notebook
    name = Path(page.file.src_uri).name
    try:
        html = site_pages.describe_figures(html, site_pages.figures(notebook, name), name)
    except ValueError as err:
        raise PluginError(str(err)) from None
    page.meta["math"] = site_pages.notebook_has_math(notebook)
    html = site_pages.exclude_from_search(site_pages.lighter_code(html))
    return site_pages.shared_copy_icon(site_pages.focusable_code(html))


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def results_markdown() -> str:
    """The results page: every lecture's headline outputs, then the execution report."""
    lectures, report, census = [], [], []
    for path in sorted(TUTORIALS.glob("[0-9][0-9]_*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        meta = notebook["metadata"].get("zero_to_hero", {})
        first = _text(notebook["cells"][0]["source"])
        title = first.splitlines()[0].lstrip("# ").strip()
        link = f"tutorials/{path.name}"
        seconds, date = meta.get("execution_seconds"), meta.get("executed_on", "never")
        run = f"{seconds:.0f} s" if seconds is not None else "not executed"
        digest = meta.get("inputs_sha256", "")[:12]
        machine = machine_description(meta.get("machine", {}))
        report.append(f"| [{title}]({link}) | {run} | {date} | {machine} | `{digest}` |")
        try:
            counts = outputs.census(nbformat.reads(json.dumps(notebook), as_version=4))
        except ValueError as err:  # an unknown or conflicting checking tag
            raise PluginError(f"{path.name}: {err}") from None
        c = counts.counts
        exempt = "; ".join(f"cell {i}: {tag}" for i, tag in counts.exempt) or "none"
        census.append(
            f"| [{title}]({link}) | {c['exact']} | {c['tolerance']} | {c['image']} | "
            f"{c['exempt']} | {exempt} |"
        )
        headlines = [
            _text(output["text"])
            for cell in notebook["cells"]
            if "headline" in cell.get("metadata", {}).get("tags", [])
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream" and output.get("name") == "stdout"
        ]
        lectures.append(f"## [{title}]({link})\n\nExecuted on {date}, in {run}.\n")
        if headlines:
            lectures.append("```text\n" + "".join(headlines).rstrip("\n") + "\n```\n")
    return "\n".join(
        [
            "# Results",
            "",
            "What the lecture pages measured when they were last executed, next to the numbers in",
            "Karpathy's lectures. This page is generated at every build from the executed",
            "notebooks: each block is the printed output of a lecture's headline cells, exactly as",
            "it appears on the lecture page. Losses are cross-entropies (lower is better).",
            "",
            *lectures,
            "## Execution report",
            "",
            "Each notebook's last execution (`make site`), on the machine its kernel reported; the",
            "hash identifies the code, package modules and pinned kernel packages its outputs were",
            "made from (see [How the pages are checked](verification.md)).",
            "",
            "| lecture | run time | executed on | machine | inputs hash |",
            "|---|--:|---|---|---|",
            *report,
            "",
            "## How each output is compared",
            "",
            "CI re-executes every notebook and compares each output with the published one, by",
            "the rule of its cell ([How the pages are checked](verification.md)): exactly, with a",
            "numeric tolerance, as an image, or not at all (an exemption, listed with its tag).",
            "",
            "| lecture | exactly | with a tolerance | as images | exempt | exempt cells |",
            "|---|--:|--:|--:|--:|---|",
            *census,
            "",
            "The tolerance classes and exemptions (from `tools/outputs.py`):",
            "",
            "| tag | atol | rtol | image RMS | why |",
            "|---|--:|--:|--:|---|",
            *[
                f"| `{tag}` | {t.atol:g} | {t.rtol:g} | {t.image_rms:g} | {t.why} |"
                for tag, t in outputs.TOLERANCES.items()
            ],
            *[f"| `{tag}` | | | | not compared: {why} |" for tag, why in EXEMPTIONS.items()],
            f"| untagged | 0 | 0 | {outputs.EXACT_IMAGE_RMS:g} | compared exactly |",
            "",
        ]
    )


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    """Give a lecture page's template its execution date and run time (for the page header)."""
    if _is_notebook(page):
        notebook = _notebooks.pop(page.file.abs_src_path)
        page.meta["execution"] = notebook["metadata"].get("zero_to_hero", {})
        page.meta["machine"] = machine_description(page.meta["execution"].get("machine", {}))
        page.meta["lecture"] = config.extra.get("lectures", {}).get(Path(page.file.name).stem, {})
        page.meta["downloads"] = "../" * page.url.count("/") + DOWNLOADS
        repo_url = config.extra["run"]["repo_url"]
        page.meta["colab"] = (
            downloads.colab_url(repo_url, Path(page.file.src_uri).name) if repo_url else None
        )
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    prefix = "../" * page.url.count("/")  # from the page's folder back to the site root
    _notebook_classes.update(notebook_css.classes_in(output))

    def externalise(match: re.Match[str]) -> str:
        css = match.group(1)
        if len(css) < 2048:  # small page-specific rules stay inline
            return match.group(0)
        name = hashlib.sha256(css.encode("utf-8")).hexdigest()[:16]
        _styles[name] = css
        return f'<link rel="stylesheet" href="{prefix}assets/notebook/{name}.css">'

    return STYLE.sub(externalise, output)


# what docs/javascripts/mathjax.js loads: the loader, the core, TeX input (with its extensions,
# loaded on demand), HTML output and its fonts, and the hidden MathML screen readers read
MATHJAX_PARTS = [
    "startup.js",
    "core.js",
    "input/tex.js",
    "input/tex",
    "output/chtml.js",
    "output/chtml",
    "a11y/assistive-mml.js",
]


def on_post_build(config: MkDocsConfig) -> None:
    if _command["name"] == "build":  # the package and its pins, for "Run it yourself"
        target = Path(config.site_dir) / DOWNLOADS
        try:
            built = downloads.build_wheel(ROOT, target)
        except RuntimeError as err:
            raise PluginError(str(err)) from None
        if built.name != config.extra["run"]["wheel"]:
            raise PluginError(f"built {built.name}, but the pages link to a different wheel")
        shutil.copy2(ROOT / "requirements.txt", target / "requirements.txt")
    folder = Path(config.site_dir) / "assets" / "notebook"
    folder.mkdir(parents=True, exist_ok=True)
    purged = {name: notebook_css.purge(css, _notebook_classes) for name, css in _styles.items()}
    for name, css in purged.items():
        others = "".join(text for other, text in purged.items() if other != name)
        css = notebook_css.drop_unused_variables(css, others)
        (folder / f"{name}.css").write_text(css, encoding="utf-8")
    source = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    target = Path(config.site_dir) / "assets" / "mathjax"
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)
