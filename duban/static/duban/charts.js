/* Small wrappers around ECharts so every chart in Duban looks and resizes the same. */
window.Duban = window.Duban || {};
(function (Duban) {
  function init(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
    return chart;
  }
  Duban.barChart = function (id, data) {
    var chart = init(id);
    if (!chart) { return; }
    chart.setOption({
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.names.slice().reverse(), axisLabel: { interval: 0 } },
      series: [{ type: "bar", data: data.counts.slice().reverse(), itemStyle: { color: "#206bc4" }, label: { show: true, position: "right" } }],
      animation: false
    });
    return chart;
  };
})(window.Duban);
(function (Duban) {
  function init(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  /* Side-by-side bars per category, e.g. points, score now and projected score. */
  Duban.groupedBars = function (id, categories, series) {
    var chart = init(id);
    if (!chart) { return; }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, width: 80, overflow: "break" } },
      yAxis: { type: "value" },
      series: series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data, itemStyle: { color: s.color } };
      })
    });
    return chart;
  };
  /* Scores over periods on the left axis, the rank on an inverted right axis (1 at the top). */
  Duban.scoreAndRank = function (id, periods, scoreSeries, rankSeries, options) {
    var inverse = !options || options.inverse !== false;
    var chart = init(id);
    if (!chart) { return; }
    var series = scoreSeries.map(function (s) {
      return { name: s.name, type: "line", data: s.data, connectNulls: true, itemStyle: { color: s.color } };
    });
    series.push({ name: rankSeries.name, type: "line", yAxisIndex: 1, data: rankSeries.data,
                  connectNulls: true, lineStyle: { type: "dashed" }, itemStyle: { color: rankSeries.color },
                  label: { show: true, position: "top" } });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: periods },
      yAxis: [{ type: "value" }, inverse ? { type: "value", inverse: true, minInterval: 1, min: 1 } : { type: "value" }],
      series: series
    });
    return chart;
  };
})(window.Duban);
