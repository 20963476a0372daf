"""MkDocs hook: serve the notebook CSS once instead of inlining it into every lecture page.

mkdocs-jupyter inlines the same ~570 KB of notebook CSS into every notebook page. ``on_post_page``
moves each distinct large ``<style>`` block into one file under ``assets/notebook/`` (named by
its hash) and links it, so a reader downloads it once and every lecture page gets that much
lighter; ``on_post_build`` keeps only the rules the notebook pages' classes can match
(``tools/notebook_css.py``: 575 KB of JupyterLab's interface styles become about a tenth of that).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from tools import notebook_css

STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
INLINE_BELOW = 2048  # characters: smaller, page-specific rules stay in the page
_styles: dict[str, str] = {}
_notebook_classes: set[str] = set()


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    prefix = "../" * page.url.count("/")  # from the page's folder back to the site root
    _notebook_classes.update(notebook_css.classes_in(output))

    def externalise(match: re.Match[str]) -> str:
        css = match.group(1)
        if len(css) < INLINE_BELOW:
            return match.group(0)
        name = hashlib.sha256(css.encode("utf-8")).hexdigest()[:16]
        _styles[name] = css
        return f'<link rel="stylesheet" href="{prefix}assets/notebook/{name}.css">'

    return STYLE.sub(externalise, output)


def on_post_build(config: MkDocsConfig) -> None:
    folder = Path(config.site_dir) / "assets" / "notebook"
    folder.mkdir(parents=True, exist_ok=True)
    purged = {name: notebook_css.purge(css, _notebook_classes) for name, css in _styles.items()}
    for name, css in purged.items():
        others = "".join(text for other, text in purged.items() if other != name)
        css = notebook_css.drop_unused_variables(css, others)
        (folder / f"{name}.css").write_text(css, encoding="utf-8")
