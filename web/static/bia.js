// The charts of a BIA, drawn with echarts from the JSON the page carries
// next to them: each category's rating over time as step lines over the
// intolerable band, and the cumulative loss. Without scripts the table
// below the charts shows the same figures.
"use strict";

(() => {
  const colors = ["#3b5bdb", "#0c8599", "#e8590c", "#9c36b5", "#5c7cfa", "#2f9e44", "#868e96"];
  const danger = "#d92d20";
  const charts = [];
  const still = document.querySelector(".report") !== null; // reports print: no animation

  // hoursLabel writes hours as the BIA writes durations: 4h, 1d, 1d12h.
  function hoursLabel(h) {
    if (h === 0) return "0";
    const d = Math.floor(h / 24), rest = Math.round((h - d * 24) * 60);
    const hh = Math.floor(rest / 60), mm = rest % 60;
    return (d ? d + "d" : "") + (hh ? hh + "h" : "") + (mm ? mm + "m" : "");
  }

  function money(currency, digits) {
    try {
      return new Intl.NumberFormat(undefined, digits ? { style: "currency", currency, maximumFractionDigits: 0 }
        : { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 });
    } catch {
      return new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
    }
  }

  // tip writes a tooltip as rich text, drawn in the canvas: an HTML
  // tooltip would carry inline styles, which the Content-Security-Policy
  // refuses.
  const tip = (title, lines) => [title, ...lines].join("\n");

  const base = {
    animation: !still,
    textStyle: { fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif" },
    grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
    legend: { bottom: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } },
  };

  function impactOption(d) {
    const levels = d.ratings.map((r) => r.level);
    const top = Math.max(...levels, 1);
    const intolerable = d.ratings.filter((r) => r.intolerable).map((r) => r.level);
    const names = Object.fromEntries(d.ratings.map((r) => [r.level, r.name]));
    const n = d.categories.length;
    // Lines at the same level sit a hair apart, so that each stays visible.
    const nudge = (k) => (n > 1 ? (k - (n - 1) / 2) * Math.min(0.08, 0.4 / n) : 0);
    const series = d.categories.map((c, k) => ({
      name: c.name, type: "line", step: "end", symbolSize: 6, color: colors[k % colors.length],
      data: c.levels.map((l) => (l === null ? null : l + nudge(k))),
    }));
    if (series.length && intolerable.length) {
      series[0].markArea = {
        silent: true, itemStyle: { color: "rgba(240, 68, 56, 0.09)" },
        label: { show: true, position: "insideTopLeft", color: danger, fontSize: 10, formatter: "intolerable" },
        data: [[{ yAxis: Math.min(...intolerable) - 0.5 }, { yAxis: top + 0.45 }]],
      };
    }
    if (series.length && d.mtpd) {
      series[0].markLine = {
        silent: true, symbol: "none", lineStyle: { color: danger, type: "dashed" },
        label: { formatter: "MTPD " + d.mtpd, color: danger, fontSize: 10 }, data: [{ xAxis: d.mtpd }],
      };
    }
    return {
      ...base,
      tooltip: {
        trigger: "axis", renderMode: "richText", formatter: (ps) => tip("After " + ps[0].axisValue,
          ps.filter((p) => p.value != null).map((p) => p.marker + p.seriesName + ": " + names[Math.round(p.value)])),
      },
      xAxis: { type: "category", data: d.points, boundaryGap: false, axisLabel: { fontSize: 11 } },
      yAxis: {
        type: "value", min: 0, max: top + 0.45, interval: 1,
        axisLabel: { fontSize: 11, showMaxLabel: false, formatter: (v) => names[v] || "" },
      },
      series,
    };
  }

  function lossOption(d, width) {
    const l = d.loss;
    const short = money(l.currency, false), long = money(l.currency, true);
    const last = l.beyond[0];
    const n = l.hours.length;
    const ticks = Math.max(3, Math.min(9, Math.floor(width / 70))); // as many labels as fit
    const step = [1, 2, 6, 12, 24, 48, 72, 168].find((h) => last / h <= ticks) || 336;
    const series = [{
      name: "Loss so far", type: "line", color: colors[0], symbolSize: 6, areaStyle: { opacity: 0.08 },
      data: l.hours.map((h, i) => [h, l.amounts[i]]),
    }];
    series.push({
      name: "Beyond the last point", type: "line", color: colors[0], symbol: "none", lineStyle: { type: "dotted" },
      data: [[l.hours[n - 1], l.amounts[n - 1]], l.beyond],
    });
    if (l.peak_factor) {
      const f = l.peak_factor;
      series.push({
        name: "During " + l.peak_name + " (×" + f + ")", type: "line", color: colors[2],
        symbol: "none", lineStyle: { type: "dashed" }, data: [...l.hours.map((h, i) => [h, l.amounts[i] * f]), [l.beyond[0], l.beyond[1] * f]],
      });
    }
    if (l.mtpd_hours) {
      series[0].markLine = {
        silent: true, symbol: "none", lineStyle: { color: danger, type: "dashed" },
        label: { formatter: "MTPD", color: danger, fontSize: 10 }, data: [{ xAxis: l.mtpd_hours }],
      };
    }
    return {
      ...base,
      tooltip: {
        trigger: "axis", renderMode: "richText", formatter: (ps) => tip("After " + hoursLabel(ps[0].value[0]),
          ps.map((p) => p.marker + p.seriesName + ": " + long.format(p.value[1]))),
      },
      xAxis: { type: "value", min: 0, max: last, interval: step, axisLabel: { fontSize: 11, formatter: hoursLabel, showMaxLabel: false } },
      yAxis: { type: "value", axisLabel: { fontSize: 11, formatter: (v) => short.format(v) } },
      series,
    };
  }

  // summaryOption compares each service's MTPD, RTO and committed recovery
  // time as dots on a log scale of hours, fastest tier at the top.
  function summaryOption(d) {
    const all = [...d.mtpd, ...d.rto, ...d.committed].filter((v) => v != null);
    const dots = (name, data, color, symbol) => ({
      name, type: "scatter", color, symbol, symbolSize: 11, data: data.map((v, i) => (v == null ? null : [v, i])),
    });
    const rounded = (h) => (h >= 48 ? Math.round(h / 24) + "d" : hoursLabel(h));
    return {
      ...base,
      grid: { ...base.grid, bottom: 40 },
      tooltip: {
        trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" }, formatter: (ps) => tip(d.services[ps[0].value[1]],
          ps.map((p) => p.marker + p.seriesName + ": " + hoursLabel(p.value[0]))),
      },
      xAxis: { type: "log", logBase: 10, min: Math.min(0.25, ...all), max: Math.max(1, ...all) * 1.5,
        axisLabel: { fontSize: 11, formatter: rounded, showMaxLabel: false } },
      yAxis: { type: "category", inverse: true, data: d.services, axisLabel: { fontSize: 11 }, splitLine: { show: true, lineStyle: { color: "#eef0f3" } } },
      series: [dots("MTPD", d.mtpd, "#f04438", "diamond"), dots("RTO", d.rto, colors[0], "circle"), dots("Committed", d.committed, colors[1], "triangle")],
    };
  }

  const options = { impact: impactOption, loss: lossOption, summary: summaryOption };

  function draw(el) {
    const src = document.getElementById(el.dataset.chartSource);
    if (!src || !window.echarts) return;
    const d = JSON.parse(src.textContent);
    const chart = echarts.init(el, null, { renderer: "canvas", devicePixelRatio: Math.max(2, window.devicePixelRatio || 1) });
    chart.setOption(options[el.dataset.biaChart](d, el.clientWidth));
    charts.push(chart);
  }

  document.querySelectorAll("[data-bia-chart]").forEach(draw);
  const resize = () => charts.forEach((c) => c.resize());
  window.addEventListener("resize", resize);
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
})();
