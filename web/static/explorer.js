// The graph explorer (templates/explorer.html): draws a service's
// neighbourhood from GET /api/v1/services/{id}/graph with cytoscape and its
// dagre layout, adds what "N more" markers leave out when they are clicked,
// and simulates failures with POST /api/v1/impact; explorer-loss.js shows
// what they cost and how recovery goes. The page lists the same
// neighbourhood without it.
"use strict";

(() => {
  const root = document.getElementById("explorer");
  const $ = (id) => document.getElementById(id);
  if (!root) {
    return;
  }
  if (typeof window.cytoscape !== "function") { // its file is missing: say so rather than show an empty box
    $("graph-status").hidden = false;
    $("graph-status").querySelector(".spinner").hidden = true;
    $("graph-status-text").textContent = "The graph cannot be drawn: its library did not load. The lists show the same services.";
    root.dataset.state = "error";
    return;
  }

  // The view grows when markers are clicked, up to this many services;
  // beyond, a service's own view is the way on. Lists stop at a few
  // hundred rows: a failed site can take thousands of services with it.
  const MAX_DRAWN = 600;
  const IMPACT_SHOWN = 200;
  const WAVE_SHOWN = 40;

  const centre = root.dataset.center;
  const view = { up: Number(root.dataset.up), down: Number(root.dataset.down), limit: Number(root.dataset.limit) };
  const params = new URLSearchParams(window.location.search);

  const kindLabels = {
    "business-service": "business service", application: "application", "data-store": "data store",
    infrastructure: "infrastructure", network: "network", site: "site", vendor: "vendor", other: "other",
  };

  // What has been fetched so far, merged: services, redundancy groups and
  // dependencies, keyed by id.
  const nodes = new Map();
  const groups = new Map();
  const edges = new Map();
  let failed = (params.get("fail") || "").split(",").map((s) => s.trim()).filter(Boolean);
  let impact = null;
  let cy = null;

  // ---- Looks: the kind colours of app.css, read from its custom properties.
  const rootStyle = getComputedStyle(document.documentElement);
  const cssVar = (name, fallback) => rootStyle.getPropertyValue(name).trim() || fallback;
  const font = getComputedStyle(document.body).fontFamily || "sans-serif";
  const measure = document.createElement("canvas").getContext("2d");
  const textWidth = (text, size, weight) => {
    measure.font = `${weight || 400} ${size}px ${font}`;
    return measure.measureText(text).width;
  };

  const graphStyle = () => [
    { selector: "node", style: {
      "font-family": font, "text-valign": "center", "text-halign": "center", "text-wrap": "wrap",
      shape: "round-rectangle", label: "data(label)", width: "data(w)", height: "data(h)",
    } },
    { selector: "node.svc", style: {
      "background-color": "data(fill)", "border-color": "data(line)", "border-width": 1.5, color: "data(text)",
      "font-size": 12, "line-height": 1.35,
    } },
    { selector: "node.centre", style: {
      "border-width": 3, "font-weight": 700, "underlay-color": cssVar("--accent", "#3b5bdb"), "underlay-opacity": 0.14, "underlay-padding": 7,
    } },
    { selector: "node.group", style: {
      "background-color": "#ffffff", "border-color": "#98a2b3", "border-width": 1, "border-style": "dashed",
      color: "#475467", "font-size": 10,
    } },
    { selector: "node.more", style: {
      "background-color": cssVar("--accent-soft", "#edf2ff"), "border-color": cssVar("--accent", "#3b5bdb"), "border-width": 1,
      color: cssVar("--accent", "#3b5bdb"), "font-size": 10, "font-weight": 600, "z-index": 10,
    } },
    { selector: "edge", style: {
      width: 1.5, "line-color": "#98a2b3", "target-arrow-color": "#98a2b3", "target-arrow-shape": "triangle",
      "arrow-scale": 0.8, "curve-style": "bezier",
    } },
    { selector: "edge.soft", style: { "line-style": "dashed", "line-dash-pattern": [6, 4] } },
    { selector: "edge.member", style: { width: 1, "line-color": "#c0c6d0", "target-arrow-color": "#c0c6d0" } },
    { selector: "edge.workaround", style: {
      label: "data(label)", "font-size": 9, "font-family": font, color: "#b54708", "text-background-color": "#ffffff",
      "text-background-opacity": 1, "text-background-padding": 2, "text-rotation": "none",
    } },
    { selector: "node.failed", style: { "background-color": "#101828", color: "#ffffff", "border-color": "#d92d20", "border-width": 3 } },
    { selector: "node.down", style: { "background-color": "#d92d20", color: "#ffffff", "border-color": "#912018" } },
    { selector: "node.degraded", style: { "background-color": "#fec84b", color: "#7a2e0e", "border-color": "#dc6803" } },
    { selector: "node.group.lost", style: { "border-color": "#d92d20", color: "#b42318", "border-style": "solid", "border-width": 2 } },
    { selector: ".dim", style: { opacity: 0.4 } },
    { selector: "edge.hit", style: { "line-color": "#d92d20", "target-arrow-color": "#d92d20", width: 2.5, opacity: 1 } },
  ];

  // ---- Status lines.
  const graphStatus = (text, busy) => {
    const el = $("graph-status");
    el.hidden = !text;
    el.classList.toggle("is-error", !busy && Boolean(text));
    el.querySelector(".spinner").hidden = !busy;
    $("graph-status-text").textContent = text || "";
    root.setAttribute("aria-busy", busy ? "true" : "false");
  };
  const simStatus = (text, busy, error) => {
    const el = $("sim-status");
    el.textContent = "";
    el.classList.toggle("is-error", Boolean(error));
    if (busy) {
      const spin = document.createElement("span");
      spin.className = "spinner";
      spin.setAttribute("aria-hidden", "true");
      el.append(spin, " ");
    }
    el.append(text || "");
  };

  // ---- Talking to the API, with the session cookie.
  const problemText = async (res) => {
    try {
      const p = await res.json();
      return p.detail || p.title || res.statusText;
    } catch {
      return `${res.status} ${res.statusText}`;
    }
  };
  const fetchView = async (id, up, down, limit) => {
    const q = new URLSearchParams({ up: String(up), down: String(down), limit: String(limit) });
    const res = await fetch(`/api/v1/services/${encodeURIComponent(id)}/graph?${q}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!res.ok) {
      throw new Error(await problemText(res));
    }
    return res.json();
  };

  // merge adds a view to what is drawn. A service's left-out counts are the
  // smallest any view gave: the merged set holds at least that view.
  const merge = (v) => {
    let added = 0;
    for (const n of v.nodes) {
      const have = nodes.get(n.id);
      if (have) {
        have.more_below = Math.min(have.more_below, n.more_below);
        have.more_above = Math.min(have.more_above, n.more_above);
      } else {
        nodes.set(n.id, { ...n });
        added++;
      }
    }
    for (const g of v.groups) {
      const have = groups.get(g.id);
      if (have) {
        g.members.forEach((m) => have.members.add(m));
      } else {
        groups.set(g.id, { id: g.id, of: g.of, min_up: g.min_up, size: g.size, members: new Set(g.members) });
      }
    }
    for (const e of v.edges) {
      edges.set(`${e.from}>${e.to}`, e);
    }
    return added;
  };

  // ---- Drawing.
  const duration = window.lifeboatScenario.duration; // explorer-loss.js, loaded first

  const serviceElement = (n) => {
    const tier = n.tier === null || n.tier === undefined ? "" : `T${n.tier} · `;
    const second = tier + (kindLabels[n.kind] || n.kind);
    const w = Math.max(textWidth(n.id, 12, n.id === centre ? 700 : 400), textWidth(second, 12)) + 26;
    return { group: "nodes", classes: n.id === centre ? "svc centre" : "svc", data: {
      id: n.id, label: `${n.id}\n${second}`, w: Math.ceil(w), h: 44, kind: n.kind,
      fill: cssVar(`--kind-${n.kind}-bg`, "#f9fafb"), line: cssVar(`--kind-${n.kind}`, "#98a2b3"), text: cssVar(`--kind-${n.kind}-fg`, "#344054"),
    } };
  };

  // A group names all its members' count, drawn or not.
  const groupLabel = (g) => `any ${g.min_up} of ${g.size}`;

  // moreElements are the "N more" markers of a service: badges on its
  // lower corner for dependencies left out, on its upper one for
  // dependents. They stay out of the layout and sit on their service.
  const moreElements = (n) => {
    const out = [];
    for (const [dir, count] of [["below", n.more_below], ["above", n.more_above]]) {
      if (count > 0) {
        const label = dir === "below" ? `+${count} ↓` : `+${count} ↑`;
        out.push({ group: "nodes", classes: "more", data: { id: `more:${dir}:${n.id}`, label,
          w: Math.ceil(textWidth(label, 10, 600) + 12), h: 16, of: n.id, dir } });
      }
    }
    return out;
  };

  const placeMarkers = () => {
    cy.nodes(".more").forEach((m) => {
      const n = cy.getElementById(m.data("of"));
      const p = n.position();
      const dx = n.data("w") / 2 - m.data("w") / 2 + 6;
      const dy = (n.data("h") / 2) * (m.data("dir") === "below" ? 1 : -1);
      m.position({ x: p.x + dx, y: p.y + dy });
    });
  };

  const elements = () => {
    const out = [];
    for (const n of nodes.values()) {
      out.push(serviceElement(n), ...moreElements(n));
    }
    for (const g of groups.values()) {
      const label = groupLabel(g);
      out.push({ group: "nodes", classes: "group", data: { id: g.id, label, w: Math.ceil(textWidth(label, 10) + 16), h: 20, of: g.of } });
      for (const m of g.members) {
        if (nodes.has(m)) {
          out.push({ group: "edges", classes: "member", data: { id: `${g.id}>${m}`, source: g.id, target: m } });
        }
      }
    }
    for (const e of edges.values()) {
      if (!nodes.has(e.from) || !(nodes.has(e.to) || groups.has(e.to))) {
        continue;
      }
      const classes = [e.soft ? "soft" : "", e.workaround_seconds ? "workaround" : ""].filter(Boolean).join(" ");
      out.push({ group: "edges", classes, data: { id: `${e.from}>${e.to}`, source: e.from, target: e.to,
        label: e.workaround_seconds ? `workaround ${duration(e.workaround_seconds)}` : "" } });
    }
    return out;
  };

  // draw lays the whole view out again: dependents above, dependencies
  // below, as the edges point from a service to what it needs.
  const draw = () => {
    const els = elements();
    if (!cy) {
      cy = window.cytoscape({ container: root, elements: els, style: graphStyle(), minZoom: 0.1, maxZoom: 3,
        boxSelectionEnabled: false, autoungrabify: true, textureOnViewport: nodes.size > 250 });
      root.graph = cy; // for the browser tests and the console
      bindGraph();
    } else {
      cy.batch(() => {
        cy.elements().remove();
        cy.add(els);
      });
    }
    cy.elements().not(".more").layout({ name: "dagre", rankDir: "TB", nodeSep: NODE_SEP, rankSep: 46, edgeSep: 8,
      fit: false, animate: false }).run();
    wrapRanks();
    placeMarkers();
    frame();
    highlight();
    root.dataset.renderedNodes = String(nodes.size);
    root.dataset.state = "ready";
  };

  // wrapRanks folds the ranks too wide to read into rows: the dependents
  // of a hub would otherwise stand in one line hundreds of services long.
  // Rows of a rank above the centre stack upwards, below it downwards, and
  // the ranks further out move to make room. Once one rank folds, every
  // rank is centred under the centre, in the order dagre gave it.
  const NODE_SEP = 20;
  const ROW_GAP = 72;
  const wrapRanks = () => {
    const ranks = new Map(); // y -> nodes
    cy.nodes().not(".more").forEach((n) => {
      const y = Math.round(n.position("y"));
      ranks.set(y, [...(ranks.get(y) || []), n]);
    });
    const { x: cx, y: cyY } = cy.getElementById(centre).position();
    const ys = [...ranks.keys()].sort((a, b) => a - b);
    const plan = ys.map((y) => {
      const rank = ranks.get(y).sort((a, b) => a.position("x") - b.position("x"));
      const step = Math.max(...rank.map((n) => n.data("w"))) + NODE_SEP;
      const fits = Math.max(4, Math.floor(cy.width() / readable() / step));
      return { y, rank, step, perRow: rank.length > fits + 2 ? fits : rank.length };
    });
    if (plan.every((p) => p.perRow === p.rank.length)) {
      return;
    }
    const shift = new Map(ys.map((y) => [y, 0]));
    for (const p of plan) {
      const up = p.y < cyY;
      p.rank.forEach((n, i) => {
        const row = Math.floor(i / p.perRow);
        const inRow = Math.min(p.perRow, p.rank.length - row * p.perRow);
        n.position({ x: cx + ((i % p.perRow) - (inRow - 1) / 2) * p.step, y: p.y + (up ? -1 : 1) * row * ROW_GAP });
      });
      const extra = (Math.ceil(p.rank.length / p.perRow) - 1) * ROW_GAP;
      for (const other of ys) { // the ranks further out make room
        if (up ? other < p.y : other > p.y) {
          shift.set(other, shift.get(other) + (up ? -extra : extra));
        }
      }
    }
    for (const [y, dy] of shift) {
      if (dy !== 0) {
        ranks.get(y).forEach((n) => n.position("y", n.position("y") + dy));
      }
    }
  };

  // frame fits the view in the canvas, but not so small that the labels
  // cannot be read: a wide view is then shown around its centre, to pan.
  // Small screens are held closer: a phone shows a part and pans.
  const readable = () => (cy.width() < 600 ? 0.8 : 0.6);
  const frame = () => {
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.3) {
      cy.zoom(1.3);
      cy.center();
    } else if (cy.zoom() < readable()) {
      cy.zoom(readable());
      cy.center(cy.getElementById(centre));
      clampPan();
    }
  };

  // clampPan moves the view so that no side shows blank canvas while the
  // graph goes on past the other side.
  const clampPan = () => {
    const bb = cy.elements().renderedBoundingBox();
    const pad = 24;
    const shift = (lo, hi, size) => {
      if (hi - lo + 2 * pad <= size) {
        return (size - (hi - lo)) / 2 - lo;
      }
      if (lo > pad) {
        return pad - lo;
      }
      return hi < size - pad ? size - pad - hi : 0;
    };
    cy.panBy({ x: shift(bb.x1, bb.x2, cy.width()), y: shift(bb.y1, bb.y2, cy.height()) });
  };

  // ---- Clicks and taps.
  const clickMode = () => {
    const checked = document.querySelector('input[name="click"]:checked');
    return checked ? checked.value : "open";
  };
  const viewURL = (id) => {
    const q = new URLSearchParams({ up: String(view.up), down: String(view.down), limit: String(view.limit) });
    if (failed.length) {
      q.set("fail", failed.join(","));
    }
    return `/services/${encodeURIComponent(id)}/graph?${q}`;
  };

  const bindGraph = () => {
    cy.on("tap", "node.svc", (evt) => {
      const id = evt.target.id();
      switch (clickMode()) {
      case "fail":
        toggleFailure(id);
        break;
      case "centre":
        window.location.assign(viewURL(id));
        break;
      default:
        window.location.assign(`/services/${encodeURIComponent(id)}`);
      }
    });
    cy.on("tap", "node.more", (evt) => expand(evt.target.data("of"), evt.target.data("dir")));
    cy.on("mouseover", "node.svc, node.more", () => root.classList.add("is-pointing"));
    cy.on("mouseout", "node", () => root.classList.remove("is-pointing"));
  };

  // expand adds the dependencies (below) or dependents (above) of a
  // service that the view left out.
  const expand = async (id, dir) => {
    const room = MAX_DRAWN - nodes.size;
    if (room < 1) {
      graphStatus(`The view holds ${nodes.size} services, as many as it draws: centre on ${id} to go on from there.`, false);
      return;
    }
    graphStatus(`Adding what ${id} ${dir === "below" ? "needs" : "is needed by"}…`, true);
    try {
      const v = await fetchView(id, dir === "above" ? 1 : 0, dir === "below" ? 1 : 0, Math.min(view.limit, room + 1));
      merge(v);
      draw();
      const n = nodes.get(id);
      const left = n ? (dir === "below" ? n.more_below : n.more_above) : 0;
      graphStatus(left > 0 ? `${id} has ${left} more than the view can take: centre on it to see them.` : "", false);
    } catch (err) {
      graphStatus(`Could not add them: ${err.message}`, false);
    }
  };

  // ---- Failure simulation.
  const chips = () => {
    const list = $("fail-chips");
    list.replaceChildren(...failed.map((id) => {
      const li = document.createElement("li");
      li.className = "chip chip-failed";
      const a = document.createElement("a");
      a.href = `/services/${encodeURIComponent(id)}`;
      a.textContent = id;
      const x = document.createElement("button");
      x.type = "button";
      x.className = "chip-remove";
      x.setAttribute("aria-label", `Bring ${id} back`);
      x.textContent = "×";
      x.addEventListener("click", () => toggleFailure(id));
      li.append(a, x);
      return li;
    }));
    const hidden = $("x-fail");
    hidden.value = failed.join(",");
    hidden.disabled = failed.length === 0;
    const q = new URLSearchParams(window.location.search);
    if (failed.length) {
      q.set("fail", failed.join(","));
    } else {
      q.delete("fail");
    }
    const qs = q.toString();
    window.history.replaceState(null, "", window.location.pathname + (qs ? `?${qs}` : ""));
  };

  const toggleFailure = (id) => {
    failed = failed.includes(id) ? failed.filter((f) => f !== id) : [...failed, id];
    chips();
    simulate(failed.includes(id) ? id : null);
  };

  let pending = null; // the simulation under way, to cancel when another starts
  const simulate = async (added) => {
    if (pending) {
      pending.abort();
    }
    if (failed.length === 0) {
      impact = null;
      pending = null;
      simStatus("");
      showImpact();
      return;
    }
    const ctl = new AbortController();
    pending = ctl;
    simStatus(`Simulating the failure of ${failed.join(", ")}…`, true);
    $("simulate").setAttribute("aria-busy", "true");
    try {
      const res = await fetch("/api/v1/impact", { method: "POST", credentials: "same-origin", signal: ctl.signal,
        headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ fail: failed }) });
      if (!res.ok) {
        const msg = await problemText(res);
        if (res.status === 422 && added) { // an id the model does not have: take it back
          failed = failed.filter((f) => f !== added);
          chips();
        }
        simStatus(res.status === 422 && added ? `Not added: ${msg}.` : `The simulation failed: ${msg}`, false, true);
        if (res.status === 422 && added && failed.length) {
          return; // what was shown before still holds
        }
        impact = null;
        showImpact();
        return;
      }
      impact = await res.json();
      simStatus("");
      showImpact();
    } catch (err) {
      if (err.name !== "AbortError") {
        simStatus(`The simulation failed: ${err.message}`, false, true);
      }
    } finally {
      if (pending === ctl) {
        pending = null;
        $("simulate").removeAttribute("aria-busy");
      }
    }
  };

  const link = (id, className) => {
    const a = document.createElement("a");
    a.href = `/services/${encodeURIComponent(id)}`;
    a.textContent = id;
    if (className) {
      a.className = className;
    }
    return a;
  };
  const badge = (state) => {
    const b = document.createElement("span");
    b.className = `badge state-${state}`;
    b.textContent = state;
    return b;
  };

  // The services that miss their RTO lead the list, then the rest of the
  // down ones, then the degraded.
  const rank = (h) => (h.misses_rto ? 0 : (h.state === "down" ? 1 : 2));
  const scenario = window.lifeboatScenario;
  const showImpact = () => {
    const box = $("impact");
    const waves = $("waves");
    if (scenario) {
      scenario.show(impact);
    }
    if (!impact) {
      box.hidden = true;
      waves.hidden = true;
      highlight();
      return;
    }
    const hits = [...impact.impacted].sort((a, b) => (rank(a) - rank(b)) || (a.id < b.id ? -1 : 1));
    const down = hits.filter((h) => h.state === "down").length;
    const drawn = hits.filter((h) => nodes.has(h.id)).length;
    const missed = impact.recovery ? impact.recovery.miss_rto : 0;
    $("impact-summary").textContent = hits.length === 0
      ? `Nothing else goes down or is degraded when ${impact.failed.join(", ")} ${impact.failed.length === 1 ? "fails" : "fail"}.`
      : `${hits.length} ${hits.length === 1 ? "service is" : "services are"} impacted: ${down} down, ${hits.length - down} degraded` +
        (missed ? `; ${missed} ${missed === 1 ? "misses its" : "miss their"} RTO` : "") +
        (drawn < hits.length ? `; ${drawn} of them in the graph.` : ".");
    $("impact-list").replaceChildren(...hits.slice(0, IMPACT_SHOWN).map((h) => {
      const li = document.createElement("li");
      li.className = `hit hit-${h.state}`;
      li.dataset.id = h.id;
      const head = document.createElement("p");
      head.className = "hit-head";
      head.append(link(h.id, "hit-id"), " ", badge(h.state));
      const via = document.createElement("p");
      via.className = "via";
      const label = document.createElement("span");
      label.className = "via-label";
      label.textContent = "via";
      via.append(label);
      h.via.slice(0, -1).forEach((id, i) => {
        if (i > 0) {
          const arrow = document.createElement("span");
          arrow.className = "via-arrow";
          arrow.setAttribute("aria-hidden", "true");
          arrow.textContent = "→";
          via.append(arrow);
        }
        via.append(link(id, i === 0 ? "chip chip-failed" : "chip"));
      });
      li.append(head, via);
      if (scenario) {
        scenario.decorate(li, h);
      }
      return li;
    }));
    const more = $("impact-more");
    more.hidden = hits.length <= IMPACT_SHOWN;
    more.textContent = `And ${hits.length - IMPACT_SHOWN} more: POST /api/v1/impact or lifeboat impact lists them all.`;
    box.hidden = false;

    const misses = new Set((impact.rto_misses || []).map((m) => m.id));
    $("waves-list").replaceChildren(...impact.recovery_waves.map((wave, i) => {
      const li = document.createElement("li");
      li.className = "wave";
      const h = document.createElement("h3");
      h.className = "wave-head";
      h.append(`Wave ${i + 1} `);
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = String(wave.length);
      h.append(count);
      const ul = document.createElement("ul");
      ul.replaceChildren(...wave.slice(0, WAVE_SHOWN).map((id) => {
        const item = document.createElement("li");
        const chip = link(id, failed.includes(id) ? "chip chip-failed" : "chip");
        if (misses.has(id)) {
          chip.classList.add("chip-miss");
          chip.title = `${id} misses its RTO`;
        }
        item.append(chip);
        return item;
      }));
      li.append(h, ul);
      if (wave.length > WAVE_SHOWN) {
        const p = document.createElement("p");
        p.className = "more";
        p.textContent = `+${wave.length - WAVE_SHOWN} more`;
        li.append(p);
      }
      return li;
    }));
    waves.hidden = impact.recovery_waves.length === 0;
    highlight();
  };

  // highlight colours the graph by the last impact: failed, down and
  // degraded services, lost groups and the dependencies along the paths;
  // the rest fades.
  const highlight = () => {
    if (!cy) {
      return;
    }
    cy.batch(() => {
      cy.elements().removeClass("failed down degraded lost dim hit");
      if (!impact) {
        return;
      }
      const state = new Map(impact.impacted.map((h) => [h.id, h.state]));
      impact.failed.forEach((id) => state.set(id, "failed"));
      cy.nodes(".svc").forEach((n) => {
        n.addClass(state.get(n.id()) || "dim");
      });
      cy.nodes(".more").addClass("dim");
      for (const g of groups.values()) {
        const lost = [...g.members].filter((m) => state.get(m) === "failed" || state.get(m) === "down").length;
        const el = cy.getElementById(g.id);
        if (lost > g.size - g.min_up) {
          el.addClass("lost");
        } else if (lost === 0) {
          el.addClass("dim");
        }
      }
      const groupsOf = new Map(); // service -> its groups in the view
      for (const g of groups.values()) {
        groupsOf.set(g.of, [...(groupsOf.get(g.of) || []), g]);
      }
      const hit = (id) => {
        const e = cy.getElementById(id);
        if (e.nonempty()) {
          e.addClass("hit");
        }
      };
      for (const h of impact.impacted) {
        for (let i = 0; i + 1 < h.via.length; i++) {
          const [dep, user] = [h.via[i], h.via[i + 1]];
          hit(`${user}>${dep}`);
          for (const g of groupsOf.get(user) || []) {
            if (g.members.has(dep)) {
              hit(`${user}>${g.id}`);
              hit(`${g.id}>${dep}`);
            }
          }
        }
      }
      cy.edges().not(".hit").addClass("dim");
    });
  };

  // ---- The id input: suggestions from the service form's endpoint.
  let suggestTimer = 0;
  const suggest = async () => {
    const q = $("fail-input").value.trim();
    if (!q) {
      return;
    }
    try {
      const res = await fetch(`/service-options?on=${encodeURIComponent(q)}`, { credentials: "same-origin" });
      if (!res.ok) {
        return;
      }
      const doc = new DOMParser().parseFromString(`<select>${await res.text()}</select>`, "text/html");
      $("fail-options").replaceChildren(...[...doc.querySelectorAll("option")].map((o) => {
        const opt = document.createElement("option");
        opt.value = o.value;
        opt.textContent = o.textContent;
        return opt;
      }));
    } catch {
      // Suggestions are a convenience; typing the id still works.
    }
  };

  const bindControls = () => {
    $("fail-input").addEventListener("input", () => {
      window.clearTimeout(suggestTimer);
      suggestTimer = window.setTimeout(suggest, 200);
    });
    $("fail-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("fail-input");
      const id = input.value.trim();
      if (!id) {
        input.focus();
        return;
      }
      input.value = "";
      if (!failed.includes(id)) {
        toggleFailure(id);
      }
    });
    $("fail-clear").addEventListener("click", () => {
      failed = [];
      chips();
      simulate(null);
    });
    $("graph-fit").addEventListener("click", () => cy && cy.fit(undefined, 24));
    const zoom = (factor) => cy && cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    $("graph-zoom-in").addEventListener("click", () => zoom(1.25));
    $("graph-zoom-out").addEventListener("click", () => zoom(0.8));
    const mode = params.get("click");
    if (mode && document.querySelector(`input[name="click"][value="${CSS.escape(mode)}"]`)) {
      document.querySelector(`input[name="click"][value="${CSS.escape(mode)}"]`).checked = true;
    }
    document.querySelectorAll('input[name="click"]').forEach((radio) => radio.addEventListener("change", () => {
      root.dataset.click = clickMode();
    }));
    root.dataset.click = clickMode();
  };

  const start = async () => {
    for (const id of ["simulate", "click-mode", "graph-tools"]) {
      $(id).hidden = false;
    }
    bindControls();
    chips();
    graphStatus("Loading the graph…", true);
    try {
      merge(await fetchView(centre, view.up, view.down, view.limit));
      graphStatus("", false);
      draw();
    } catch (err) {
      graphStatus(`The graph could not be loaded: ${err.message}`, false);
      root.dataset.state = "error";
    }
    if (failed.length) {
      simulate(null);
    }
  };

  start();
})();
