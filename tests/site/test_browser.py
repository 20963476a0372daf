"""Every page of the built site in a real browser, as a reader on a laptop and on a phone sees it.

Each page is opened at 1366x900 and at 390x844, in the light and the dark scheme, each time in
a fresh browser context (a first visit, empty cache). A page fails, with its name, the viewport,
the scheme and the number, on: a console or script error, a broken image, a TeX error, a request
to another site, a formula cut off (not reachable by scrolling), a content figure drawn below
60% of its natural width, a figure without a real alt text, a button below WCAG AA contrast
(4.5:1), a page heavier than its budget, or a serious or critical axe-core violation.

Drives the system's Chromium (Debian's ``chromium`` package) through Playwright, without any
browser download; axe-core comes bundled in the ``axe-playwright-python`` package. Screenshots
go to ``build/screenshots/`` for people to look at, with ``readability.json``: every number
measured, per page, viewport and scheme.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
MEASURE = (Path(__file__).with_name("readability.js")).read_text(encoding="utf-8")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
VIEWPORTS = {"1366x900": (1366, 900), "390x844": (390, 844)}
SCHEMES = {"light": "default", "dark": "slate"}
PLACEHOLDER_ALT = "No description has been provided for this image"
MIN_FIGURE_RATIO = 0.6  # below this share of its natural width a PNG's labels become unreadable
MIN_CONTRAST = 4.5  # WCAG 2 AA, normal text
# First visit, empty cache, uncompressed bytes; a lecture's figures (inline PNGs) not counted.
BUDGET_PAGE = 700_000
BUDGET_LECTURE = 1_500_000
# Serious or critical axe-core rules that fail on markup MkDocs Material itself writes, which
# this site does not control; every other serious or critical violation fails the page.
AXE_ALLOWED = {
    "aria-dialog-name": "Material's search overlay (.md-search) has role=dialog and no accessible "
    "name; the element and its attributes are in Material's partials, which the site does not "
    "override",
}


@pytest.fixture(scope="module")
def browser():
    executable = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if executable is None:
        pytest.skip(
            "no Chromium found for the browser test: install it with `sudo apt-get install "
            "chromium` (Debian, Ubuntu) or your system's package manager, then rerun"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


@dataclass
class Visit:
    """One page as loaded: the Playwright page, what went wrong, and what it downloaded."""

    page: object
    problems: list[str] = field(default_factory=list)
    downloaded: dict[str, int] = field(default_factory=dict)


@contextmanager
def _visit(
    browser, url: str, site_url: str, viewport: str = "1366x900", scheme: str = "light"
) -> Iterator[Visit]:
    """Load ``url`` in a fresh context with requests to other sites blocked."""
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme="dark" if scheme == "dark" else "light",
    )
    page = context.new_page()
    visit = Visit(page)
    page.on("pageerror", lambda err: visit.problems.append(f"script error: {err}"))
    page.on(
        "console",
        lambda msg: (
            visit.problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error"
            else None
        ),
    )
    page.on(
        "requestfinished",
        lambda request: visit.downloaded.__setitem__(
            request.url, request.sizes()["responseBodySize"]
        ),
    )

    def local_only(route) -> None:
        """The site must load nothing from another site: such a request is a failure (and is
        answered empty, so the test never reaches the network)."""
        if route.request.url.startswith(site_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            visit.problems.append(f"request to another site: {route.request.url}")
            route.fulfill(status=204, body="")

    page.route("**/*", local_only)
    try:
        page.goto(url, wait_until="load")
        if page.evaluate("document.querySelector('.zth-has-math') !== null"):
            page.wait_for_function("window.MathJax.startup && MathJax.startup.promise")
            page.evaluate("MathJax.startup.promise")  # typesetting has finished
            errors = page.evaluate("document.querySelectorAll('mjx-merror').length")
            visit.problems += [f"{errors} TeX errors"] if errors else []
        page.wait_for_load_state("networkidle")  # the search index, MathJax's fonts
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.currentSrc || i.src)"
        )
        visit.problems += [f"broken image: {src[:80]}" for src in broken]
        yield visit
    finally:
        context.close()


def _figure_bytes(page) -> int:
    """The bytes of the figures inlined into the page (nbconvert writes them as data URLs)."""
    return page.evaluate(
        "Array.from(document.images).map(i => i.getAttribute('src') || '')"
        ".filter(s => s.startsWith('data:')).reduce((n, s) => n + s.length, 0)"
    )


def readability_problems(measured: dict) -> list[str]:
    """What ``readability.js`` measured, judged: each failing figure, formula, alt, button."""
    problems = []
    for figure in measured["figures"]:
        if figure["clipped"]:
            problems.append(f"figure cut off: {figure['label']!r}")
        if figure["ratio"] < MIN_FIGURE_RATIO and not figure["scrollable"]:
            problems.append(
                f"figure at {figure['ratio']:.0%} of its natural width: {figure['label']!r}"
            )
    for math in measured["math"]:
        if math["clipped"]:
            kind = "display" if math["display"] else "inline"
            problems.append(f"{kind} formula cut off: {math['tex']!r}")
    for image in measured["alts"]:
        alt = (image["alt"] or "").strip()
        if not alt or alt == PLACEHOLDER_ALT:
            problems.append(f"image without a real alt text ({alt!r}): {image['src']}")
    for button in measured["buttons"]:
        if button["contrast"] < MIN_CONTRAST:
            problems.append(f"button {button['label']!r} at {button['contrast']:.2f}:1 contrast")
    return problems


def _axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations not on the allowed list."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        v
        for v in results["violations"]
        if v["impact"] in ("serious", "critical") and v["id"] not in AXE_ALLOWED
    ]


def _measure(visit: Visit, path: str, with_axe: bool) -> tuple[dict, list[str]]:
    """Every number for one page in one viewport and scheme, and the problems they show."""
    page = visit.page
    lecture = path.startswith("tutorials/")
    figures = _figure_bytes(page)
    weight = sum(visit.downloaded.values()) - figures
    budget = BUDGET_LECTURE if lecture else BUDGET_PAGE
    measured = page.evaluate(MEASURE)
    problems = visit.problems + readability_problems(measured)
    if weight > budget:
        heaviest = sorted(visit.downloaded.items(), key=lambda kv: -kv[1])[:4]
        problems.append(
            f"{weight:,} bytes (figures not counted) over the budget of {budget:,}; heaviest: "
            + ", ".join(f"{url.rsplit('/', 1)[-1] or url} {size:,}" for url, size in heaviest)
        )
    has_math = page.evaluate("document.querySelector('.zth-has-math') !== null")
    mathjax = [url for url in visit.downloaded if "/assets/mathjax/" in url]
    if mathjax and not has_math:
        problems.append(f"MathJax loaded ({len(mathjax)} files) on a page without formulas")
    ratios = [f["ratio"] for f in measured["figures"]]
    numbers = {
        "bytes_without_figures": weight,
        "figure_bytes": figures,
        "smallest_figure_ratio": round(min(ratios), 3) if ratios else None,
        "formulas": len(measured["math"]),
        "buttons_min_contrast": round(min(b["contrast"] for b in measured["buttons"]), 2)
        if measured["buttons"]
        else None,
    }
    if with_axe:
        violations = _axe_violations(page)
        numbers["axe_serious_critical"] = len(violations)
        problems += [
            f"axe {v['impact']} {v['id']}: {len(v['nodes'])} element(s), e.g. "
            f"{v['nodes'][0]['target']}"
            for v in violations
        ]
    return numbers, problems


def _switch_scheme(page) -> None:
    """Material's light/dark toggle: the same page, already measured in light, shown in dark."""
    page.click("label[for='__palette_1']")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")


def test_every_page_is_readable_at_both_sizes_in_both_schemes(browser, site_url, site_pages):
    """One first visit per page and viewport, measured in light, then in dark (the scheme changes
    colours, not layout, so the page is not loaded again); axe-core runs at the laptop size."""
    report: dict[str, dict] = {}
    failures = []
    for path in site_pages:
        for viewport in VIEWPORTS:
            with _visit(browser, site_url + path, site_url, viewport) as visit:
                for scheme in SCHEMES:
                    if scheme == "dark":
                        _switch_scheme(visit.page)
                    where = f"{path or '/'} [{viewport}, {scheme}]"
                    numbers, problems = _measure(visit, path, with_axe=viewport == "1366x900")
                    report[where] = numbers
                    failures += [f"{where}: {problem}" for problem in problems]
                    visit.problems.clear()  # reported once, with the light measurement
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "readability.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert len(site_pages) >= 10
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", ["", "tutorials/04_makemore_batchnorm/"])
def test_dark_mode_toggle_and_screenshots(browser, site_url, path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").split("/")[-1] or "index"
    with _visit(browser, site_url + path, site_url) as visit:
        page = visit.page
        assert page.get_attribute("body", "data-md-color-scheme") == "default"
        if path:  # a lecture page: its formulas are typeset by the site's own MathJax
            assert page.evaluate("document.querySelectorAll('mjx-container').length") > 10
        page.screenshot(path=SCREENSHOTS / f"{name}-light.png", full_page=False)
        page.click("label[for='__palette_1']")  # Material's light/dark toggle
        page.wait_for_timeout(300)
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
        page.screenshot(path=SCREENSHOTS / f"{name}-dark.png", full_page=False)
    assert not visit.problems, visit.problems


@pytest.mark.parametrize(
    ("name", "path", "viewport", "scheme", "selector"),
    [
        ("lecture1-graph", "tutorials/01_micrograd/", "1366x900", "light", ".zth-figure--wide"),
        ("lecture5-formulas-phone", "tutorials/05_makemore_backprop/", "390x844", "light",
         "mjx-container[display='true']"),
        ("lecture4-diagnostics-dark", "tutorials/04_makemore_batchnorm/", "1366x900", "dark",
         ".zth-figure"),
    ],
)  # fmt: skip
def test_figures_and_formulas_are_photographed(
    browser, site_url, name, path, viewport, scheme, selector
):
    """The views the readability test is about, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with _visit(browser, site_url + path, site_url, viewport, scheme) as visit:
        target = visit.page.locator(selector).first
        target.scroll_into_view_if_needed()
        visit.page.wait_for_timeout(200)
        visit.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=False)
    assert not visit.problems, visit.problems


@contextmanager
def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=folder)
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_request_to_another_site_fails_the_page(browser, tmp_path):
    """The check above bites: a page that hot-links an image is reported, with the address."""
    (tmp_path / "index.html").write_text(
        '<html><body><img src="https://example.org/diagram.png" alt="a diagram"></body></html>'
    )
    with _serve(tmp_path) as url, _visit(browser, url, url) as visit:
        pass
    assert "request to another site: https://example.org/diagram.png" in visit.problems


WIDE_FIGURE = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1700' height='100'%3E"
    "%3Crect width='1700' height='100' fill='red'/%3E%3C/svg%3E"
)
BAD_PAGE = f"""<html><body><div class="md-content" style="width: 700px">
<div class="jp-OutputArea"><img src="{WIDE_FIGURE}" alt="{PLACEHOLDER_ALT}"
 style="max-width: 100%"></div>
<div style="overflow-x: hidden"><mjx-container display="true" style="display: block">
<mjx-math style="display: inline-block; width: 1200px">x</mjx-math></mjx-container></div>
<a class="md-button" style="color: #999; background: #fff">Download</a>
<img src="{WIDE_FIGURE}" alt="">
</div></body></html>"""


def test_the_readability_checks_bite(browser, tmp_path):
    """A shrunk figure, a cut-off formula, placeholder and empty alt, a pale button: each is
    reported with its number."""
    (tmp_path / "index.html").write_text(BAD_PAGE)
    with _serve(tmp_path) as url, _visit(browser, url, url) as visit:
        problems = readability_problems(visit.page.evaluate(MEASURE))
    assert f"figure at 41% of its natural width: {PLACEHOLDER_ALT[:60]!r}" in problems
    assert "display formula cut off: 'x'" in problems
    assert sum("image without a real alt text" in p for p in problems) == 2
    assert "button 'Download' at 2.85:1 contrast" in problems


def test_search_loads_its_index_when_opened_and_finds_lectures(browser, site, site_url):
    """The index is not part of a page's weight until the reader searches; then search works,
    and its entries are prose and code, not prompts, copy buttons or printed outputs."""
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Copied!" not in index and "In\u00a0[" not in index and "In&nbsp;[" not in index
    with _visit(browser, site_url + "tutorials/01_micrograd/", site_url) as visit:
        page = visit.page
        assert not [url for url in visit.downloaded if url.endswith("search_index.json")]
        query = page.locator("input[data-md-component='search-query']")
        query.click()
        query.fill("backpropagation")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert [url for url in visit.downloaded if url.endswith("search_index.json")]
        assert page.locator(".md-search-result__item").count() > 3
    assert not visit.problems, visit.problems


def test_run_it_yourself_box_opens_and_is_photographed_in_both_schemes(browser, site_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with _visit(browser, site_url + "tutorials/07_gpt/", site_url) as visit:
        page = visit.page
        box = page.locator("details.zth-run-yourself")
        assert box.count() == 1
        box.locator("summary").click()
        assert box.get_attribute("open") is not None
        assert "pip install zero_to_hero-" in box.locator("pre code").inner_text()
        box.screenshot(path=SCREENSHOTS / "run-it-yourself-light.png")
        page.click("label[for='__palette_1']")
        page.wait_for_timeout(300)
        box.screenshot(path=SCREENSHOTS / "run-it-yourself-dark.png")
    assert not visit.problems, visit.problems
