// What a reader sees on the current page, measured in the browser (tests/site/test_browser.py):
// how large each content figure is drawn, whether any formula is cut off, each figure's alt text
// and each button's contrast. Returns plain data; the Python side decides what fails.
() => {
  // An element is clipped when an ancestor that hides overflow cuts its box before an ancestor
  // that scrolls lets the reader reach it.
  function clipped(el) {
    const box = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === "auto" || overflow === "scroll") return false;
      if (overflow === "hidden" || overflow === "clip") {
        const outer = a.getBoundingClientRect();
        if (box.left < outer.left - 1 || box.right > outer.right + 1) return true;
      }
    }
    return box.right > document.documentElement.clientWidth + 1;
  }
  function scrollable(el) {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && a.scrollWidth > a.clientWidth) {
        return true;
      }
    }
    return false;
  }
  function rgba(text) {
    const parts = text.match(/[\d.]+/g).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  }
  function over(top, bottom) {
    const a = top.a;
    return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a),
             b: top.b * a + bottom.b * (1 - a), a: 1 };
  }
  // The colour behind an element: its own background blended over its ancestors' backgrounds.
  function background(el) {
    const layers = [];
    for (let a = el; a; a = a.parentElement) {
      const colour = rgba(getComputedStyle(a).backgroundColor);
      if (colour.a > 0) layers.push(colour);
      if (colour.a >= 1) break;
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  }
  function luminance({ r, g, b }) {
    const channel = (v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }
  function contrast(el) {
    const bg = background(el);
    const fg = over(rgba(getComputedStyle(el).color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }
  const label = (el) => (el.getAttribute("alt") || el.textContent || "").trim().slice(0, 60);
  const visible = (el) => el.getBoundingClientRect().width > 0;
  return {
    figures: Array.from(document.querySelectorAll(".md-content .jp-OutputArea img"))
      .filter((img) => img.naturalWidth > 0 && visible(img))
      .map((img) => ({
        label: label(img),
        ratio: img.getBoundingClientRect().width / img.naturalWidth,
        scrollable: scrollable(img),
        clipped: clipped(img),
      })),
    math: Array.from(document.querySelectorAll(".md-content mjx-container"))
      .filter(visible)
      .map((math) => ({
        tex: (math.querySelector("mjx-assistive-mml") || math).textContent.trim().slice(0, 60),
        display: math.getAttribute("display") === "true",
        clipped: clipped(math.firstElementChild || math) || clipped(math),
      })),
    alts: Array.from(document.querySelectorAll(".md-content img")).map((img) => ({
      src: (img.currentSrc || img.src).slice(0, 60),
      alt: img.getAttribute("alt"),
    })),
    buttons: Array.from(document.querySelectorAll(".md-content .md-button"))
      .filter(visible)
      .map((button) => ({ label: label(button), contrast: contrast(button) })),
  };
}
