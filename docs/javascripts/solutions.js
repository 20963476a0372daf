// Exercise solutions: notebook cells tagged "solution" (markdown and code alike) are folded into a
// closed <details> block, one per run of consecutive tagged cells, so readers can try first.
// The tag's class sits on the cell itself for code cells and on an inner element for markdown
// cells, so each match is lifted to its top-level cell (a child of .jp-Notebook) first.
// Material's instant navigation swaps pages without a reload, hence document$.
function foldSolutions() {
  const cells = new Set();
  document.querySelectorAll(".jupyter-wrapper .celltag_solution").forEach((el) => {
    let cell = el;
    while (cell.parentElement && !cell.parentElement.classList.contains("jp-Notebook")) {
      cell = cell.parentElement;
    }
    if (cell.parentElement) cells.add(cell);
  });
  let group = null;
  cells.forEach((cell) => {
    if (!group || cell.previousElementSibling !== group) {
      group = document.createElement("details");
      group.className = "zth-solution";
      const summary = document.createElement("summary");
      summary.textContent = "Solution (executed when this page was built)";
      group.appendChild(summary);
      cell.parentNode.insertBefore(group, cell);
    }
    group.appendChild(cell);
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(foldSolutions);
} else {
  document.addEventListener("DOMContentLoaded", foldSolutions);
}
