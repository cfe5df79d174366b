// Dashboards: the monthly trend (line) and the grid map coloured by a chosen figure. ECharts is served locally.
(function () {
  function read(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  // ECharts puts a tooltip formatter's string into the page as HTML: names typed by people are escaped first.
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function start() {
    if (!window.echarts) return;
    var trend = read("trend-data");
    var trendEl = document.getElementById("trend-chart");
    if (trend && trendEl) {
      var chart = echarts.init(trendEl, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 40, top: 50, bottom: 30 },
        xAxis: { type: "category", data: trend.months },
        yAxis: [{ type: "value", min: 0, max: 100, name: "%/分" }, { type: "value", name: "件", splitLine: { show: false } }],
        series: trend.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: true }; })
          .concat([{ name: "受理数", type: "bar", yAxisIndex: 1, data: trend.counted, itemStyle: { opacity: 0.25 } }])
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }
    var map = read("map-data");
    var mapEl = document.getElementById("grid-map");
    if (map && mapEl) {
      echarts.registerMap("grids", map.geojson);
      var mapChart = echarts.init(mapEl, null, { renderer: "svg" });
      var select = document.getElementById("map-figure");
      function draw() {
        var key = select.value;
        var fig = map.figures.filter(function (f) { return f.key === key; })[0];
        var data = Object.keys(map.values).map(function (id) { return { name: id, value: map.values[id][key] }; });
        var vals = data.map(function (d) { return d.value; }).filter(function (v) { return v !== null; });
        var colours = ["#b3261e", "#f4b400", "#2e7d32"];
        mapChart.setOption({
          animation: false,
          tooltip: { formatter: function (p) { var v = map.values[p.name]; return esc(v ? v.label : p.name) + (v ? "：" + (p.value == null || isNaN(p.value) ? "—" : p.value) : ""); } },
          visualMap: { min: vals.length ? Math.min.apply(null, vals) : 0, max: vals.length ? Math.max.apply(null, vals) : 1,
            calculable: true, left: 0, bottom: 0, inRange: { color: fig.better ? colours : colours.slice().reverse() }, text: ["高", "低"] },
          series: [{ type: "map", map: "grids", roam: true, data: data,
            label: { show: true, fontSize: 10, formatter: function (p) { var v = map.values[p.name]; return v ? v.label.replace(/网格$/, "") : ""; } },
            emphasis: { label: { show: true } } }]
        }, true);
      }
      select.addEventListener("change", draw);
      mapChart.on("click", function (p) { var v = map.values[p.name]; if (v) window.location = v.url; });
      draw();
      window.addEventListener("resize", function () { mapChart.resize(); });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
