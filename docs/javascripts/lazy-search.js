// Material requests the whole search index (search/search_index.json, about half a megabyte) as
// soon as any page loads, although most readers never search. Loaded before Material's bundle
// (overrides/main.html), this holds that one request back until the reader opens the search: the
// query field gets the focus (a click on the search button, or the keys / s f), and then sends it.
// Search itself is Material's, unchanged.
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const held = [];
  let released = false;

  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.zthSearchIndex = INDEX.test(new URL(url, location.href).pathname);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.zthSearchIndex && !released) {
      held.push(() => send.apply(this, args));
      return;
    }
    send.apply(this, args);
  };

  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach((request) => request());
  }
  document.addEventListener("focusin", (event) => {
    if (event.target.closest && event.target.closest(".md-search")) release();
  });
  document.addEventListener("keydown", (event) => {
    if (["/", "s", "f"].includes(event.key)) release();
  });
})();
