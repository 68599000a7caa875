/* Channel audiences: a growth line per channel from #audience-data ([{name, points: [[day, n]]}]),
   drawn by Chart.js into #audience-chart; days in the reader's calendar, right to left in fa. */
(function () {
  "use strict";
  const chartEl = document.getElementById("audience-chart");
  const dataEl = document.getElementById("audience-data");
  if (!chartEl || !dataEl || !window.Chart) return;
  const html = document.documentElement;
  const series = JSON.parse(dataEl.textContent);
  const labels = Array.from(new Set(series.flatMap((s) => s.points.map((p) => p[0])))).sort();
  const calendar = new Intl.DateTimeFormat(html.lang === "fa" ? "fa-IR-u-ca-persian" : "en-GB", { month: "short", day: "numeric" });
  const numbers = new Intl.NumberFormat(html.lang === "fa" ? "fa-IR" : "en-GB");
  new Chart(chartEl, {
    type: "line",
    data: {
      labels: labels.map((d) => calendar.format(new Date(d + "T12:00:00"))),
      datasets: series.map((s) => {
        const byDay = Object.fromEntries(s.points);
        return { label: s.name, data: labels.map((d) => byDay[d] ?? null), spanGaps: true, tension: 0.2 };
      }),
    },
    options: {
      animation: false,
      locale: html.lang === "fa" ? "fa-IR" : "en-GB",
      plugins: { legend: { rtl: html.dir === "rtl" } },
      scales: { x: { reverse: html.dir === "rtl" }, y: { position: html.dir === "rtl" ? "right" : "left", ticks: { callback: (v) => numbers.format(v) } } },
    },
  });
})();
