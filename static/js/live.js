/* Live refresh in 2 KB rather than htmx (about 50 KB minified, 16 KB gzipped, for the one
   behaviour needed here). While the server marks a page's #live part with data-live, fetch
   that part again every data-every seconds (the page's own URL, asked with htmx's HX-Request
   header, so the server side is the same either way) and swap it in when it changed. Paused
   while the tab is hidden; stops for good when a fresh part comes back without data-live
   (every result counts). */
(function () {
  "use strict";
  var url = location.pathname + location.search, last = null, timer = null;
  function box() { return document.getElementById("live"); }
  function every() { return (parseInt(box().getAttribute("data-every"), 10) || 30) * 1000; }
  function swap(html) {
    var old = box(), focused = document.activeElement, href = null, tpl, fresh, again;
    if (old.contains(focused) && focused.getAttribute) href = focused.getAttribute("href");
    tpl = document.createElement("template");
    tpl.innerHTML = html;
    fresh = tpl.content.getElementById("live");
    if (!fresh) return;
    old.replaceWith(fresh);
    again = href && fresh.querySelector('a[href="' + CSS.escape(href) + '"]');
    if (again) again.focus(); // keyboard users keep their place
  }
  function tick() {
    timer = null;
    if (document.hidden) return; // resumed by visibilitychange
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null && html !== last) { last = html; swap(html); }
      })
      .catch(function () {})
      .then(schedule);
  }
  function schedule() {
    if (!timer && box() && box().hasAttribute("data-live")) timer = setTimeout(tick, every());
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) schedule();
  });
  schedule();
})();
