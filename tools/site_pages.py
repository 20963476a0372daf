"""What the MkDocs hooks (``tools/hooks/``) do to a rendered notebook page for every reader.

* **Figures.** nbconvert writes every figure as ``<img alt="No description has been provided
  for this image">`` and mkdocs-jupyter shrinks it to the column. Each figure's description is
  written in its notebook, in the producing cell's metadata (``"alt"``: one string, or a list
  with one per figure the cell draws; in the ``.py``: ``# %% alt="..."``), and lands in the
  ``alt``; a figure without one fails the build. The ``<img>`` also gets its natural width, so
  the stylesheet can keep it at 60% or more of that width (scrolling sideways when the column
  is narrower) and wide drawings (cells tagged ``scroll-output``) at full size. A cell whose
  colours carry the data (heat maps, ``imshow``) sets ``"dark": "keep-colours"`` so that dark
  mode dims it instead of inverting it.
* **Search.** The ``In [n]:`` prompts, the hidden copy of each cell's code behind its copy
  button, and the outputs are marked ``data-search-exclude``: Material's search indexes the
  prose and the code once, not "In [2]: Copied!" and pages of printed numbers.
* **Keyboard.** Code cells scroll sideways when a line is long; each gets ``tabindex="0"`` (as
  Material gives its own code blocks) so that it can be scrolled without a mouse.
* **Weight.** mkdocs-jupyter writes the same 685-byte copy icon into every code cell; it becomes
  an empty ``<span>`` that the stylesheet draws from one copy of the icon. Each cell's code is
  also written twice, highlighted and again as hidden plain text for its copy button: the button
  now copies the highlighted ``<pre>`` (whose text is the same code), and the hidden copy goes.
  And Pygments wraps every name and every run of spaces in a ``<span>`` that the notebook
  stylesheet gives no colour of its own (names, ``.n``) or the block's own colour (spaces,
  ``.w``): those spans are unwrapped, the text unchanged. Together a fifth of a code-heavy
  page's HTML (lecture 7: 433 KB without figures before, 347 KB after), which keeps the lectures
  inside their page-weight budget.
* **Math.** :func:`notebook_has_math`: whether a notebook's markdown has TeX, so that pages
  without formulas do not load MathJax.
"""

from __future__ import annotations

import base64
import html
import re
import struct
from dataclasses import dataclass

PLACEHOLDER_ALT = "No description has been provided for this image"
IMG = re.compile(
    r'<img alt="' + re.escape(PLACEHOLDER_ALT) + r'" class="" src="data:image/png;base64,([^"]+)"'
)
KEEP_COLOURS = "keep-colours"
SEARCH_EXCLUDED = re.compile(
    r'<(div|clipboard-copy) (class="(?:jp-InputPrompt|jp-OutputArea jp-Cell-outputArea|'
    r'zeroclipboard-container)[^"]*")'
)
# a code cell: its highlighted code, then the hidden plain copy its copy button reads
CODE_CELL = re.compile(
    r'(<div (?:tabindex="0" )?class="highlight-ipynb[^"]*"><pre)>((?:(?!</pre>).)*)</pre></div>'
    r'\s*<div class="clipboard-copy-txt" id="(cell-\d+)">[^<]*</div>',
    re.DOTALL,
)
# token spans drawn in the code block's own colour: names (no rule), whitespace (the block's)
PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>|<span></span>')
COPY_ICON = re.compile(r'<svg aria-hidden="true" class="clipboard-copy-icon".*?</svg>', re.DOTALL)
# $...$ or $$...$$ with something inside, or \( \) and \[ \]: TeX that MathJax typesets
TEX = re.compile(r"\$\$?[^$\s][^$]*\$|\\\(|\\\[")


@dataclass(frozen=True)
class Figure:
    """One figure as the notebook describes it."""

    alt: str
    width: int
    wide: bool  # a drawing that reads only at full size (cell tagged scroll-output)
    keep_colours: bool  # its colours encode data: dim it in dark mode, never invert it


def _png_size(data: str) -> tuple[int, int]:
    """A PNG's pixel size, from its header (the IHDR chunk follows the 8-byte signature)."""
    width, height = struct.unpack(">II", base64.b64decode(data[:64])[16:24])
    return width, height


def figures(notebook: dict, name: str) -> dict[str, Figure]:
    """Every PNG output of ``notebook``, by its base64 text, with the description its cell gives.

    Raises ``ValueError`` naming the notebook and cell when a figure has no description.
    """
    found: dict[str, Figure] = {}
    for index, cell in enumerate(notebook["cells"]):
        pngs = [
            "".join(output["data"]["image/png"]).replace("\n", "")
            for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {})
        ]
        if not pngs:
            continue
        meta = cell.get("metadata", {})
        alts = meta.get("alt", [])
        alts = [alts] if isinstance(alts, str) else list(alts)
        if len(alts) != len(pngs) or not all(a.strip() for a in alts):
            raise ValueError(
                f"{name}, cell {index}: {len(pngs)} figure(s) but {len(alts)} description(s); "
                'give each figure one in the cell\'s metadata ("alt": a string, or a list)'
            )
        for data, alt in zip(pngs, alts, strict=True):
            found[data] = Figure(
                alt=alt.strip(),
                width=_png_size(data)[0],
                wide="scroll-output" in meta.get("tags", []),
                keep_colours=meta.get("dark") == KEEP_COLOURS,
            )
    return found


def describe_figures(page: str, known: dict[str, Figure], name: str) -> str:
    """``page`` with each figure's placeholder alt replaced by its description, and the classes
    and natural width the stylesheet sizes it by."""

    def replace(match: re.Match[str]) -> str:
        data = match.group(1).replace("\n", "")
        figure = known.get(data)
        if figure is None:
            raise ValueError(f"{name}: a figure on the page is not among the notebook's outputs")
        classes = ["zth-figure"]
        classes += ["zth-figure--wide"] if figure.wide else []
        classes += ["zth-figure--keep-colours"] if figure.keep_colours else []
        return (
            f'<img alt="{html.escape(figure.alt)}" class="{" ".join(classes)}" '
            f'style="--zth-natural-width: {figure.width}px" src="data:image/png;base64,{data}"'
        )

    return IMG.sub(replace, page)


def lighter_code(page: str) -> str:
    """Each code cell written once: its copy button reads the highlighted ``<pre>``, the hidden
    plain copy is dropped, and the spans that colour nothing are unwrapped."""

    def lighten(match: re.Match[str]) -> str:
        opening, code, cell = match.groups()
        plain = PLAIN_TOKEN.sub(r"\1", code)
        return f'{opening} id="{cell}">{plain}</pre></div>'

    return CODE_CELL.sub(lighten, page)


def exclude_from_search(page: str) -> str:
    """Mark the prompts, the copy buttons and the outputs ``data-search-exclude``."""
    # with a value: Material's search removes the attribute from the page once it has indexed it
    return SEARCH_EXCLUDED.sub(r'<\1 data-search-exclude="true" \2', page)


def focusable_code(page: str) -> str:
    """Let the keyboard reach (and scroll) every code cell's code."""
    return page.replace('<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb')


def shared_copy_icon(page: str) -> str:
    """Each code cell's inline copy icon replaced by a span ``extra.css`` draws the icon into."""
    return COPY_ICON.sub(
        '<span aria-hidden="true" class="clipboard-copy-icon zth-copy-icon"></span>', page
    )


def notebook_has_math(notebook: dict) -> bool:
    """Whether any markdown cell has TeX for MathJax to typeset."""
    return any(
        TEX.search("".join(cell["source"]))
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown"
    )
