// The temperature chart of an observation (ECharts). Data come from the JSON block
// #chart-data written by the server; nothing inline, so the CSP keeps script-src 'self'.
(function () {
  function draw() {
    var holder = document.getElementById("temperature-chart");
    var source = document.getElementById("chart-data");
    if (!holder || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (!data.points.length) {
      holder.textContent = "暂无体温数据";
      holder.style.height = "auto";
      return;
    }
    var chart = echarts.init(holder);
    chart.setOption({
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "time", min: data.start, max: data.end + "T23:59:59" },
      yAxis: { type: "value", min: 35, max: 41, name: "°C" },
      series: [{
        type: "line",
        data: data.points,
        symbolSize: 8,
        lineStyle: { width: 2 },
        markLine: {
          symbol: "none",
          label: { formatter: "发热 " + data.threshold, position: "insideEndTop" },
          lineStyle: { color: "#dc3545", type: "dashed" },
          data: [{ yAxis: data.threshold }],
        },
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
