// Material's instant navigation swaps the page without reloading it: typeset the new page's math.
// (On a full page load MathJax, loaded with defer, typesets by itself once it starts.)
document$.subscribe(() => {
  if (window.MathJax && MathJax.typesetPromise && MathJax.startup.output) {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise();
  }
});
