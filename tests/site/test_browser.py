"""Every page of the built site in a real browser: no console errors, no broken images, no TeX
errors, no request to another site, dark mode.

Drives the system's Chromium (Debian's ``chromium`` package) through Playwright, without any
browser download. Screenshots of the landing page and of one lecture page, in light and dark
mode, are saved to ``build/screenshots/`` for people to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


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


def _visit(browser, url: str, site_url: str):
    """Load ``url`` with requests to other sites blocked; return the page and what went wrong."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(f"script error: {err}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )

    def local_only(route) -> None:
        """The site must load nothing from another site: such a request is a failure (and is
        answered empty, so the test never reaches the network)."""
        if route.request.url.startswith(site_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            problems.append(f"request to another site: {route.request.url}")
            route.fulfill(status=204, body="")

    page.route("**/*", local_only)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # let deferred scripts (solution folding, search) run
    if page.evaluate("document.querySelector('.arithmatex, .jp-RenderedMarkdown') !== null"):
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("MathJax.startup.promise")  # typesetting has finished
        errors = page.evaluate("document.querySelectorAll('mjx-merror').length")
        problems += [f"{errors} TeX errors"] if errors else []
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.currentSrc || i.src)"
    )
    problems += [f"broken image: {src}" for src in broken]
    return context, page, problems


def test_every_page_loads_cleanly(browser, site_url, site_pages):
    failures = {}
    for path in site_pages:
        context, _, problems = _visit(browser, site_url + path, site_url)
        context.close()
        if problems:
            failures[path or "/"] = problems
    assert len(site_pages) >= 10
    assert not failures, "\n".join(f"{p}: {msgs}" for p, msgs in failures.items())


@pytest.mark.parametrize("path", ["", "tutorials/04_makemore_batchnorm/"])
def test_dark_mode_toggle_and_screenshots(browser, site_url, path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").split("/")[-1] or "index"
    context, page, problems = _visit(browser, site_url + path, site_url)
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    if path:  # a lecture page: its formulas are typeset by the site's own MathJax
        assert page.evaluate("document.querySelectorAll('mjx-container').length") > 10
    page.screenshot(path=SCREENSHOTS / f"{name}-light.png", full_page=False)
    page.click("label[for='__palette_1']")  # Material's light/dark toggle
    page.wait_for_timeout(300)
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.screenshot(path=SCREENSHOTS / f"{name}-dark.png", full_page=False)
    context.close()
    assert not problems, problems


def test_a_request_to_another_site_fails_the_page(browser, tmp_path):
    """The check above bites: a page that hot-links an image is reported, with the address."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "index.html").write_text(
        '<html><body><img src="https://example.org/diagram.png" alt="a diagram"></body></html>'
    )
    handler = functools.partial(SimpleHTTPRequestHandler, directory=tmp_path)
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        context, _, problems = _visit(browser, url, url)
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert "request to another site: https://example.org/diagram.png" in problems


def test_run_it_yourself_box_opens_and_is_photographed_in_both_schemes(browser, site_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, page, problems = _visit(browser, site_url + "tutorials/07_gpt/", site_url)
    box = page.locator("details.zth-run-yourself")
    assert box.count() == 1
    box.locator("summary").click()
    assert box.get_attribute("open") is not None
    assert "pip install zero_to_hero-" in box.locator("pre code").inner_text()
    box.screenshot(path=SCREENSHOTS / "run-it-yourself-light.png")
    page.click("label[for='__palette_1']")
    page.wait_for_timeout(300)
    box.screenshot(path=SCREENSHOTS / "run-it-yourself-dark.png")
    context.close()
    assert not problems, problems
