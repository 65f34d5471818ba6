// ducha's page behaviour, loaded on every page. The Content-Security-Policy allows no inline script, so
// templates carry data only (json_script elements, data- attributes) and everything they do is here:
//
//   <button data-print>                           prints the page
//   <select data-autosubmit>                      submits its form when the choice changes
//   <div data-chart="options-id">                 an ECharts chart drawn from the JSON in #options-id;
//       data-chart-index="2"                      … item 2 when that JSON is a list of options
//       data-chart-narrow='{"series": [...]}'     … options merged in on screens narrower than 576 px
//
// A chart's tooltip.valueFormatter "%" becomes a function that appends "%"; clicking a point or a node that
// carries a `link` opens it.
(function () {
  "use strict";

  function percent(value) {
    return value == null ? "—" : value + "%";
  }

  function drawChart(element) {
    var options = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    if (element.dataset.chartIndex !== undefined) {
      options = options[Number(element.dataset.chartIndex)];
    }
    if (options.tooltip && options.tooltip.valueFormatter === "%") {
      options.tooltip.valueFormatter = percent;
    }
    var chart = echarts.init(element);
    chart.setOption(options);
    if (element.dataset.chartNarrow && window.innerWidth < 576) {
      chart.setOption(JSON.parse(element.dataset.chartNarrow));
    }
    chart.on("click", function (params) {
      if (params.data && params.data.link) {
        window.location = params.data.link;
      }
    });
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
    var elements = document.querySelectorAll("[data-chart]");
    if (elements.length && window.echarts) {
      var charts = Array.prototype.map.call(elements, drawChart);
      window.addEventListener("resize", function () {
        charts.forEach(function (chart) {
          chart.resize();
        });
      });
    }
  });
})();
