"""Trim mkdocs-jupyter's notebook stylesheet to the rules the site's notebook pages can use.

mkdocs-jupyter inlines JupyterLab's whole stylesheet (575 KB, of which 344 KB is Blueprint, the
widget toolkit of JupyterLab's own interface: file browser, dialogs, menus), none of which a
static notebook page shows. A rule is kept when one of its selectors names only classes that
occur on some notebook page of the build; rules without classes (variables on ``:root``, element
styles), ``@font-face`` and ``@keyframes`` are kept as they are. Nothing on the pages adds
JupyterLab classes after loading, so what the HTML holds is what the stylesheet can match.
Then :func:`drop_unused_variables` removes the custom properties (JupyterLab's theme defines
hundreds: its whole Material palette) that no remaining rule reads.
"""

from __future__ import annotations

import re

CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
NESTING = ("@media", "@supports", "@layer", "@container")
VARIABLE_USE = re.compile(r"var\(\s*(--[\w-]+)")


def classes_in(page: str) -> set[str]:
    """Every class name a page's HTML uses."""
    return {name for value in CLASS_ATTRIBUTE.findall(page) for name in value.split()}


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level statements as ``(prelude, body)``; a statement ending in ``;`` has body None."""
    blocks, start, depth, prelude = [], 0, 0, ""
    for i, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude, start = css[start:i].strip(), i + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append((prelude, css[start:i]))
                start = i + 1
        elif char == ";" and depth == 0:
            blocks.append((css[start:i].strip(), None))
            start = i + 1
    return blocks


def _selector_used(selector: str, used: set[str]) -> bool:
    """Whether every class the selector requires is used (``:not(.x)`` requires nothing)."""
    required = re.sub(r":not\([^)]*\)", "", selector)
    return all(name in used for name in CLASS_IN_SELECTOR.findall(required))


def purge(css: str, used: set[str]) -> str:
    """``css`` without the rules no element with the ``used`` classes can match."""
    kept = []
    for prelude, body in _blocks(COMMENT.sub("", css)):
        if body is None:
            kept.append(prelude + ";")
        elif prelude.startswith(NESTING):
            inner = purge(body, used)
            if inner:
                kept.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@") or any(_selector_used(s, used) for s in prelude.split(",")):
            kept.append(f"{prelude}{{{body}}}")
    return "".join(kept)


def _declarations(body: str) -> list[str]:
    """A rule's declarations, split at the semicolons outside strings and parentheses."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return [p for p in parts if p.strip()]


def _without_variables(css: str, unused: set[str]) -> str:
    kept = []
    for prelude, body in _blocks(css):
        if body is None:
            kept.append(prelude + ";")
        elif prelude.startswith(NESTING):
            kept.append(f"{prelude}{{{_without_variables(body, unused)}}}")
        else:
            declarations = [
                d for d in _declarations(body) if d.split(":", 1)[0].strip() not in unused
            ]
            kept.append(f"{prelude}{{{';'.join(declarations)}}}")
    return "".join(kept)


def drop_unused_variables(css: str, elsewhere: str = "") -> str:
    """``css`` without the custom properties that neither it nor ``elsewhere`` reads (repeated
    until none is left: a variable read only by a dropped one goes too)."""
    while True:
        defined = set(re.findall(r"(--[\w-]+)\s*:", css))
        read = set(VARIABLE_USE.findall(css)) | set(VARIABLE_USE.findall(elsewhere))
        unused = defined - read
        if not unused:
            return css
        css = _without_variables(css, unused)
