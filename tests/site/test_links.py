"""No broken internal link or anchor anywhere in the built site, notebook pages included.

``mkdocs build --strict`` checks the links written in Markdown pages; links inside notebooks, the
theme's own links and generated pages are only checked here, on the HTML a reader gets.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

BASE = "http://site.invalid/"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("preconnect",)):
                self.links.append(attrs[key])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, url: str) -> Path:
    path = site / unquote(urlsplit(url).path)[len(urlsplit(BASE).path) :]
    return path / "index.html" if url.split("#")[0].endswith("/") or path.is_dir() else path


def test_every_internal_link_and_anchor_resolves(site, site_pages):
    parsed: dict[Path, _Page] = {}
    broken = []
    checked = 0
    for page_path in site_pages:
        source = site / page_path / "index.html"
        page = parsed.setdefault(source, _parse(source))
        for link in page.links:
            url = urljoin(BASE + page_path, link)
            if not url.startswith(BASE):
                continue  # another site: not ours to check offline
            checked += 1
            target = _target(site, url)
            if not target.is_file():
                broken.append(f"{page_path or '/'}: {link} (no file {target.relative_to(site)})")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if fragment and target.suffix == ".html":
                ids = parsed.setdefault(target, _parse(target)).ids
                if fragment not in ids:
                    broken.append(f"{page_path or '/'}: {link} (no anchor #{fragment})")
    assert checked > 100
    assert not broken, "broken links:\n" + "\n".join(broken)
