"""MkDocs hook: publish ``tutorials/`` as part of the site without moving it under ``docs/``.

The executed notebooks become pages (mkdocs-jupyter renders them, so this must run before its own
``on_files``, hence the priority), and the paired ``.py`` sources are copied as static files so the
download buttons on each lecture page resolve.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent


@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path in sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.*")):
        if path.suffix in {".ipynb", ".py"}:
            files.append(
                File(
                    f"tutorials/{path.name}",
                    src_dir=str(ROOT),
                    dest_dir=config.site_dir,
                    use_directory_urls=config.use_directory_urls,
                )
            )
    return files
