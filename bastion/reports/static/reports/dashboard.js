// The dashboard's charts (ECharts). The data come from the JSON block #dashboard-data written
// by the server; nothing inline, so the CSP keeps script-src 'self'. On the large screen, htmx
// swaps the figures every minute and the charts are drawn again.
(function () {
  var charts = [];

  function line(days, series, kind, dark) {
    var size = dark ? 14 : 12;
    return {
      backgroundColor: "transparent",
      grid: { left: 40, right: 12, top: series.length > 1 ? 28 : 12, bottom: 28 },
      tooltip: { trigger: "axis" },
      legend: series.length > 1 ? { top: 0, textStyle: { color: dark ? "#e9eef6" : "#333", fontSize: size } } : undefined,
      xAxis: { type: "category", data: days, axisLabel: { color: dark ? "#9fb3c8" : "#666", fontSize: size } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: dark ? "#9fb3c8" : "#666", fontSize: size } },
      series: series.map(function (s) {
        return { name: s.label, type: kind, data: s.values, symbolSize: 4 };
      }),
    };
  }

  // The five-early funnel as horizontal bars: readable at any size, zeros included.
  function funnel(items, dark) {
    var text = dark ? "#e9eef6" : "#333";
    return {
      backgroundColor: "transparent",
      grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
      tooltip: { trigger: "item" },
      xAxis: { type: "value", show: false, minInterval: 1 },
      yAxis: {
        type: "category", inverse: true, axisTick: { show: false },
        data: items.map(function (i) { return i.name; }),
        axisLabel: { color: text, fontSize: dark ? 15 : 12 },
      },
      series: [{
        type: "bar", barMaxWidth: 22,
        label: { show: true, position: "right", color: text, fontSize: dark ? 16 : 12 },
        itemStyle: { color: function (p) { return ["#0d6efd", "#6610f2", "#fd7e14", "#dc3545", "#842029"][p.dataIndex]; } },
        data: items.map(function (i) { return i.value; }),
      }],
    };
  }

  function draw() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var dark = document.body.classList.contains("dash-screen");
    var s = data.series;
    var options = {
      active: line(data.days, [s["observation.active"]], "line", dark),
      fevers: line(data.days, [s["observation.fevers"], s["checkpoints.fevers"]], "bar", dark),
      signals: line(data.days, [s["signals.found"]], "bar", dark),
      traffic: line(data.days, [s["checkpoints.vehicles"], s["checkpoints.persons"]], "line", dark),
      funnel: funnel(data.funnel, dark),
    };
    document.querySelectorAll("[data-chart]").forEach(function (holder) {
      var option = options[holder.dataset.chart];
      if (!option) return;
      var chart = echarts.init(holder, dark ? "dark" : null);
      chart.setOption(option);
      charts.push(chart);
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.addEventListener("htmx:afterSettle", draw);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
