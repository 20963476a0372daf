// A box that scrolls sideways must be reachable from the keyboard (WCAG 2.1.1): the tables Material
// wraps in .md-typeset__scrollwrap (notebook outputs that print Markdown tables included) get
// tabindex="0" when they are wider than the column. Material's document$ emits on every page.
function focusableScrollBoxes() {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
  });
}
document$.subscribe(() => setTimeout(focusableScrollBoxes, 0));
