"""MkDocs hook: generate the results page (``results.md``) from the executed notebooks.

At every build: the output of each cell tagged ``headline`` (our numbers, printed beside
Karpathy's), an execution report from the metadata ``tools/notebooks.py`` stores (run time,
date, the machine the kernel reported), and how CI compares each lecture's outputs (the census
of ``tools/outputs.py``). Nothing on it is typed by hand; lecture pages show the same machine
facts in their header (``tools/hooks/pages.py``).
"""

from __future__ import annotations

import json

import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from tools import outputs
from tools.hooks import lectures
from tools.notebooks import machine_description


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, "results.md", content=results_markdown()))
    return files


def results_markdown() -> str:
    """The results page: every lecture's headline outputs, then the execution report."""
    sections, report, census = [], [], []
    for path in sorted(lectures.TUTORIALS.glob("[0-9][0-9]_*.ipynb")):
        notebook = lectures.notebook(path)
        meta = notebook["metadata"].get("zero_to_hero", {})
        first = lectures.text(notebook["cells"][0]["source"])
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
            lectures.text(output["text"])
            for cell in notebook["cells"]
            if "headline" in cell.get("metadata", {}).get("tags", [])
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream" and output.get("name") == "stdout"
        ]
        sections.append(f"## [{title}]({link})\n\nExecuted on {date}, in {run}.\n")
        if headlines:
            sections.append("```text\n" + "".join(headlines).rstrip("\n") + "\n```\n")
    return "\n".join(
        [
            "# Results",
            "",
            "What the lecture pages measured when they were last executed, next to the numbers in",
            "Karpathy's lectures. This page is generated at every build from the executed",
            "notebooks: each block is the printed output of a lecture's headline cells, exactly as",
            "it appears on the lecture page. Losses are cross-entropies (lower is better).",
            "",
            *sections,
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
            *[
                f"| `{tag}` | | | | not compared: {why} |"
                for tag, why in outputs.EXEMPTIONS.items()
            ],
            f"| untagged | 0 | 0 | {outputs.EXACT_IMAGE_RMS:g} | compared exactly |",
            "",
        ]
    )
