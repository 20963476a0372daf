"""MkDocs hook: what a lecture page gets besides the rendered notebook, and the site's address.

* Figures get their descriptions from the notebook, and prompts, copy buttons and outputs are
  kept out of the search index (``tools/site_pages.py``), in ``on_page_content``: before the
  search plugin indexes the page.
* The page header's execution facts (date, run time, the machine the kernel reported) come from
  the metadata ``tools/notebooks.py`` stores in the notebook; the video and the repository the
  lecture follows from ``extra.lectures`` in mkdocs.yml.
* ``site_url`` comes from ``ZTH_SITE_URL`` when it is set: Material's instant navigation and the
  sitemap need the site's address, which only the one who publishes it knows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tools import site_pages
from tools.hooks import lectures
from tools.notebooks import machine_description


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    site_url = os.environ.get("ZTH_SITE_URL", "").strip()
    if site_url:
        config.site_url = site_url.rstrip("/") + "/"
    return config


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Describe a lecture page's figures and keep its noise out of search (``site_pages``)."""
    if not lectures.is_lecture(page):
        return html
    notebook = lectures.notebook(page.file.abs_src_path)
    name = Path(page.file.src_uri).name
    try:
        html = site_pages.describe_figures(html, site_pages.figures(notebook, name), name)
    except ValueError as err:
        raise PluginError(str(err)) from None
    html = site_pages.exclude_from_search(site_pages.lighter_code(html))
    return site_pages.shared_copy_icon(site_pages.focusable_code(html))


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """Give a lecture page's template its execution facts and its lecture's links (the header)."""
    if lectures.is_lecture(page):
        execution = lectures.notebook(page.file.abs_src_path)["metadata"].get("zero_to_hero", {})
        page.meta["execution"] = execution
        page.meta["machine"] = machine_description(execution.get("machine", {}))
        page.meta["lecture"] = config.extra.get("lectures", {}).get(Path(page.file.name).stem, {})
    return context
