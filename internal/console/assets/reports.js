// The report pages' chart (uPlot): the series the page's JSON holds,
// against the report's periods, each on the scale of its kind (counts,
// money, percentages; the first two kinds get an axis). The table below
// the chart has the same figures; the page works without this script.
(function () {
  "use strict";
  var colors = ["#2563eb", "#15803d", "#b45309", "#7c3aed", "#db2777", "#0891b2", "#4b5563", "#dc2626"];
  function draw() {
    var el = document.getElementById("report-chart");
    var src = document.getElementById("report-chart-data");
    if (!el || !src || typeof uPlot === "undefined") { return; }
    var d = JSON.parse(src.textContent);
    var scales = [];
    d.series.forEach(function (s) { if (scales.indexOf(s.scale) < 0) { scales.push(s.scale); } });
    var fmt = function (scale) {
      return function (u, v) {
        if (v == null) { return ""; }
        if (scale === "percent") { return v.toFixed(1) + " %"; }
        if (scale === "money") { return v.toFixed(2); }
        return String(Math.round(v * 100) / 100);
      };
    };
    var series = [{}].concat(d.series.map(function (s, i) {
      return { label: s.label, stroke: colors[i % colors.length], width: 2, scale: s.scale, value: fmt(s.scale), points: { show: d.x.length < 40 } };
    }));
    var axes = [{}];
    scales.slice(0, 2).forEach(function (sc, i) {
      axes.push({ scale: sc, side: i === 0 ? 3 : 1, grid: { show: i === 0 }, label: d.series.filter(function (s) { return s.scale === sc; }).map(function (s) { return s.label; }).join(", ") + (sc === "percent" ? " (%)" : ""), size: 60 });
    });
    var data = [d.x].concat(d.series.map(function (s) { return s.values; }));
    var opts = {
      width: Math.max(el.clientWidth, 280), height: 280,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      series: series, axes: axes
    };
    var plot = new uPlot(opts, data, el);
    el.dataset.drawn = "true";
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(el.clientWidth, 280), height: 280 }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
