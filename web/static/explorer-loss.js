// The cost and recovery of a simulated failure on the graph explorer
// (templates/explorer.html): the scenario's loss at each horizon as
// figures and a stacked bar chart (echarts), the services with a BIA that
// are down, and the recovery estimates beside the impacted services, RTO
// misses first. explorer.js calls it with each answer of POST
// /api/v1/impact; without echarts the figures and lists still show.
"use strict";

window.lifeboatScenario = (() => {
  const $ = (id) => document.getElementById(id);
  const HORIZONS = [["1h", "1 hour"], ["4h", "4 hours"], ["1d", "1 day"], ["3d", "3 days"], ["1w", "1 week"]];
  // The chart stacks the services that lose the most; the rest share a bar.
  const STACKED = 5;
  const SERVICES_SHOWN = 8;
  const PALETTE = ["#3b5bdb", "#7a5af8", "#15b79e", "#f79009", "#ee46bc", "#98a2b3"];

  // duration writes seconds the way model files do: "1d4h", "30m".
  const duration = (s) => {
    if (!s) {
      return "0s";
    }
    let out = "";
    for (const [unit, secs] of [["w", 604800], ["d", 86400], ["h", 3600], ["m", 60], ["s", 1]]) {
      const n = Math.floor(s / secs);
      if (n > 0) {
        out += n + unit;
        s -= n * secs;
      }
    }
    return out;
  };

  // Money in the scale's currency: whole units in full, or short ("$3.2M")
  // where room is scarce.
  const formatters = new Map();
  const money = (amount, currency, short) => {
    const key = `${currency}:${short}`;
    if (!formatters.has(key)) {
      formatters.set(key, new Intl.NumberFormat("en-US", short
        ? { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }
        : { style: "currency", currency, maximumFractionDigits: 0 }));
    }
    return formatters.get(key).format(amount);
  };

  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  };
  const link = (id) => {
    const a = el("a", "loss-id", id);
    a.href = `/services/${encodeURIComponent(id)}`;
    return a;
  };

  // outlooks are the failed and down services with what the scenario says
  // of each, failed ones first.
  const outlooks = (impact) => [
    ...impact.failed_services.map((f) => ({ ...f, failed: true })),
    ...impact.impacted.filter((h) => h.state === "down"),
  ];

  // recoveryText words a service's estimate against its RTO.
  const recoveryText = (o) => {
    const rto = o.rto_seconds !== undefined ? ` · RTO ${duration(o.rto_seconds)}` : "";
    if (o.recovery_seconds !== undefined) {
      return `Back after ${duration(o.recovery_seconds)}${rto}`;
    }
    const why = o.unknown_restore_time ? `${o.unknown_restore_time} has no restore time` : "a restore time is missing";
    const least = o.recovery_at_least_seconds ? ` · at least ${duration(o.recovery_at_least_seconds)}` : "";
    return `Recovery unknown: ${why}${least}${rto}`;
  };

  const missBadge = () => el("span", "badge badge-miss", "misses RTO");

  // ---- The figures, the chart and the services.
  let chart = null;
  const figures = (loss) => {
    $("loss-figures").replaceChildren(...HORIZONS.map(([key, label]) => {
      const div = el("div", "loss-figure");
      div.dataset.horizon = key;
      div.dataset.amount = String(loss.at[key]);
      // Short in the tiles of a wide screen, in full in the rows of a
      // narrow one (explorer.css shows one of the two).
      const dd = el("dd", "loss-amount");
      dd.title = money(loss.at[key], loss.currency, false);
      dd.append(el("span", "loss-short", money(loss.at[key], loss.currency, true)), el("span", "loss-full", dd.title));
      div.append(el("dt", "loss-horizon", label), dd);
      return div;
    }));
  };

  // series stacks the biggest losers by their loss after a week, the rest
  // in one series.
  const series = (rows, currency) => {
    const ranked = [...rows].sort((a, b) => b.loss_at["1w"] - a.loss_at["1w"]);
    const top = ranked.length > STACKED + 1 ? ranked.slice(0, STACKED) : ranked;
    const rest = ranked.slice(top.length);
    const out = top.map((o) => ({ name: o.id, values: HORIZONS.map(([k]) => o.loss_at[k]) }));
    if (rest.length) {
      out.push({ name: `${rest.length} others`, values: HORIZONS.map(([k]) => rest.reduce((sum, o) => sum + o.loss_at[k], 0)) });
    }
    return out.map((s, i) => ({
      name: s.name, type: "bar", stack: "loss", barMaxWidth: 44, data: s.values,
      itemStyle: { color: PALETTE[i % PALETTE.length], borderRadius: i === out.length - 1 ? [3, 3, 0, 0] : 0 },
      tooltip: { valueFormatter: (v) => money(v, currency, false) },
    }));
  };

  const drawChart = (rows, loss) => {
    const box = $("loss-chart");
    if (typeof window.echarts === "undefined" || rows.length === 0) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.setAttribute("aria-label", `Loss while down, stacked by service: ${HORIZONS.map(([k, l]) =>
      `${money(loss.at[k], loss.currency, false)} after ${l}`).join(", ")}.`);
    if (!chart) {
      chart = window.echarts.init(box, null, { renderer: "canvas" });
      window.addEventListener("resize", () => chart && chart.resize());
      box.chart = chart; // for the browser tests and the console
    }
    const narrow = box.clientWidth < 420;
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      grid: { left: 8, right: 8, top: 30, bottom: 4, containLabel: true },
      legend: { type: "scroll", top: 0, left: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11, color: "#475467" } },
      // Drawn in the canvas: an HTML tooltip would carry inline styles,
      // which the Content-Security-Policy refuses.
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" }, order: "seriesDesc" },
      xAxis: { type: "category", data: HORIZONS.map(([k]) => k), axisTick: { show: false }, axisLine: { lineStyle: { color: "#d0d5dd" } },
        axisLabel: { color: "#475467", fontSize: 12 } },
      yAxis: { type: "value", splitNumber: narrow ? 3 : 4, axisLabel: { color: "#667085", fontSize: 11, formatter: (v) => money(v, loss.currency, true) },
        splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: series(rows, loss.currency),
    }, { notMerge: true });
    chart.resize();
  };

  const serviceList = (rows, loss) => {
    const ranked = [...rows].sort((a, b) => ((b.loss_at ? b.loss_at["1d"] : 0) - (a.loss_at ? a.loss_at["1d"] : 0)) || (a.id < b.id ? -1 : 1));
    $("loss-services").replaceChildren(...ranked.slice(0, SERVICES_SHOWN).map((o) => {
      const li = el("li", o.misses_rto ? "loss-service is-miss" : "loss-service");
      li.dataset.id = o.id;
      const head = el("p", "loss-service-head");
      head.append(link(o.id));
      if (o.failed) {
        head.append(" ", el("span", "badge state-failed", "failed"));
      }
      if (o.misses_rto) {
        head.append(" ", missBadge());
      }
      if (o.loss_at) {
        head.append(el("span", "loss-service-amount", `${money(o.loss_at["1d"], loss.currency, false)} after 1 day`));
      }
      const facts = el("p", "loss-service-facts");
      facts.append(el("span", "loss-mtpd", o.mtpd_seconds !== undefined ? `Intolerable after ${duration(o.mtpd_seconds)}` : "No intolerable point in its BIA"));
      facts.append(el("span", "loss-recovery", recoveryText(o)));
      li.append(head, facts);
      return li;
    }));
    const more = $("loss-services-more");
    more.hidden = ranked.length <= SERVICES_SHOWN;
    more.textContent = `And ${ranked.length - SERVICES_SHOWN} more with a BIA.`;
  };

  // summary says how recovery goes as a whole.
  const summary = (impact) => {
    const r = impact.recovery;
    const total = r.estimated + r.unknown;
    const parts = [];
    if (r.estimated > 0) {
      parts.push(`${r.estimated} of ${total} failed or down services can be estimated; the last is back after ${duration(r.latest_seconds)} at the earliest`);
    } else {
      parts.push(`None of the ${total} failed or down services can be estimated`);
    }
    if (r.miss_rto > 0) {
      parts.push(`${r.miss_rto} ${r.miss_rto === 1 ? "misses its" : "miss their"} RTO`);
    }
    let text = `${parts.join("; ")}.`;
    if (r.without_restore_time.length > 0) {
      const names = r.without_restore_time.slice(0, 5).join(", ") + (r.without_restore_time.length > 5 ? ` and ${r.without_restore_time.length - 5} more` : "");
      text += ` No restore time in the model for ${names}.`;
    }
    $("loss-recovery-summary").textContent = text;
  };

  // show fills the card from an impact answer, or hides it without one.
  const show = (impact) => {
    const card = $("loss");
    if (!impact || !impact.loss) {
      card.hidden = true;
      return;
    }
    card.hidden = false;
    const loss = impact.loss;
    const all = outlooks(impact);
    const withBIA = all.filter((o) => o.loss_at || o.mtpd_seconds !== undefined);
    const withLoss = withBIA.filter((o) => o.loss_at);
    $("loss-lead").textContent = loss.services === 0
      ? "No failed or down service has loss figures in its BIA."
      : `What the ${loss.services === 1 ? "failed or down service with loss figures loses" : `${loss.services} failed or down services with loss figures lose`} if the outage lasts (${loss.currency}, from the BIAs). Degraded services still run and count no loss.`;
    figures(loss);
    $("loss-figures").hidden = loss.services === 0;
    $("loss-services-head").hidden = withBIA.length === 0;
    serviceList(withBIA, loss);
    summary(impact);
    // Drawn last: the card must be laid out for the chart to know its size.
    drawChart(withLoss, loss);
  };

  // decorate adds an impacted service's recovery to its entry in the list.
  const decorate = (li, hit) => {
    if (hit.state !== "down") {
      return;
    }
    if (hit.misses_rto) {
      li.classList.add("hit-miss");
      li.querySelector(".hit-head").append(missBadge());
    }
    li.append(el("p", "hit-recovery", recoveryText(hit)));
  };

  return { show, decorate, duration };
})();
