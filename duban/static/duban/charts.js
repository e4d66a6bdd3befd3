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
