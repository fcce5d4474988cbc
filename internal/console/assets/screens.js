// The console's small scripts: the home page's chart (uPlot) and the
// pick list's print button. Pages work without them.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
  });
  function drawChart() {
    var el = document.getElementById("chart");
    var src = document.getElementById("chart-data");
    if (!el || !src || typeof uPlot === "undefined") { return; }
    var d = JSON.parse(src.textContent);
    var xs = d.days.map(function (s) { return Date.parse(s + "T00:00:00Z") / 1000; });
    var opts = {
      width: Math.max(el.clientWidth, 280), height: 260, tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      series: [{}, { label: "Orders", stroke: "#2563eb", width: 2, scale: "n" },
        { label: "Net sales", stroke: "#15803d", width: 2, scale: "m", value: function (u, v) { return v == null ? "" : v.toFixed(2); } }],
      axes: [{}, { scale: "n", label: "Orders" }, { scale: "m", side: 1, label: "Net sales", grid: { show: false } }]
    };
    var plot = new uPlot(opts, [xs, d.orders, d.sales], el);
    el.dataset.drawn = "true";
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(el.clientWidth, 280), height: 260 }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawChart); } else { drawChart(); }
})();
