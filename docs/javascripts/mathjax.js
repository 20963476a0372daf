// The site's own MathJax (assets/mathjax/, copied by tools/hooks/mathjax_assets.py), loaded
// only on pages the build marked as having formulas (.zth-has-math): a page without math
// downloads none of it.
// Typeset: the \( \) and \[ \] spans pymdownx.arithmatex writes on hand-written pages and the $ $ /
// $$ $$ of notebook markdown cells; code, notebook code cells and outputs, and the navigation are
// skipped. Material's document$ emits on the first load and after each instant navigation: the
// first load only starts MathJax (which typesets the page itself once, on startup); later pages
// are typeset after it has started, so no page is typeset twice.
const MATHJAX_URL = new URL("../assets/mathjax/startup.js", document.currentScript.src).href;

window.MathJax = {
  loader: { load: ["core", "input/tex", "output/chtml", "a11y/assistive-mml"] },
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: "md-header|md-sidebar|md-footer|jp-CodeCell|jp-OutputArea",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown",
  },
  startup: {
    pageReady: () => MathJax.startup.defaultPageReady().then(markWideFormulas),
  },
};

// A formula wider than its column scrolls (extra.css): an inline one becomes a scrolling box, and
// each that scrolls is focusable, so it can be scrolled from the keyboard. Re-checked on resize.
function markWideFormulas() {
  document.querySelectorAll(".md-typeset mjx-container").forEach((math) => {
    const display = math.getAttribute("display") === "true";
    const column = display ? math : math.parentElement;
    const wide = math.firstElementChild.getBoundingClientRect().width > column.clientWidth + 1;
    if (!display) math.classList.toggle("zth-wide-math", wide);
    if (wide) math.setAttribute("tabindex", "0");
    else math.removeAttribute("tabindex");
  });
}
let resizing = null;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => window.MathJax.typesetPromise && markWideFormulas(), 200);
});

function typesetMath() {
  if (!document.querySelector(".zth-has-math")) return;
  if (!document.querySelector(`script[src="${MATHJAX_URL}"]`)) {
    const script = document.createElement("script");
    script.src = MATHJAX_URL;
    script.async = true;
    document.head.appendChild(script);
    return;
  }
  if (!MathJax.startup || !MathJax.startup.promise) return; // still starting: it typesets this page
  MathJax.startup.promise = MathJax.startup.promise.then(() => {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    return MathJax.typesetPromise().then(markWideFormulas);
  });
}

document$.subscribe(typesetMath);
