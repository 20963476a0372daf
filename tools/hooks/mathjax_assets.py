"""MkDocs hook: the site serves its own MathJax, and only pages with formulas load it.

MathJax is copied from the pinned ``django-static-mathjax`` package into ``assets/mathjax/``:
math renders without a CDN, offline and in the browser test. Only its parts that typeset TeX as
HTML are copied (no menu: it alone is 426 KB), and only pages with formulas load it
(``page.meta["math"]``, read by ``docs/javascripts/mathjax.js``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import mathjax
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tools import site_pages
from tools.hooks import lectures

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


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Note whether the page has formulas: a lecture's markdown cells have TeX, another page's
    HTML has arithmatex's output."""
    if lectures.is_lecture(page):
        page.meta["math"] = site_pages.notebook_has_math(lectures.notebook(page.file.abs_src_path))
    else:
        page.meta["math"] = 'class="arithmatex"' in html
    return html


def on_post_build(config: MkDocsConfig) -> None:
    source = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    target = Path(config.site_dir) / "assets" / "mathjax"
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)
