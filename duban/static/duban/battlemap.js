/* 挂图作战: the battle map Gantt. One row per project, expandable to its activities; drawn with an
 * ECharts custom series on the SVG renderer so that it prints sharp. The data comes from the page
 * (json_script #battlemap-data, built by duban/projects/battlemap.py); nothing is fetched.
 *
 * On paper (beforeprint, or the print media query) the rows are re-rendered to the paper width as
 * one chart per sheet — each with its own time axes, rows never cut across a page break — and grow
 * to fill the sheet when they are few. window.dubanBattlemap exposes the drawing times (ms,
 * performance.now around init + setOption), the row count and expand/collapse.
 */
(function () {
  "use strict";
  var el = document.getElementById("battlemap-chart");
  var source = document.getElementById("battlemap-data");
  if (!el || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var L = data.labels;
  var SOLID = { green: "#2fb344", yellow: "#f59f00", red: "#d63939", done: "#4b5563", "": "#adb5bd" };
  var LIGHT = { green: "#bfe8c9", yellow: "#fde3ae", red: "#f5c2c2", done: "#4b5563", "": "#e9ecef" };
  var CRITICAL = "#d63939";
  var BASELINE = "#9aa0a6";
  var DEADLINE = "#1f2937";
  var MILESTONE = "#206bc4";
  var FLAG = { red: "#d63939", black: "#111111" };
  var DAY = 86400000;
  // The sheet inside the 10 mm margins, in CSS px (96 per inch): A3 landscape or the A0 poster.
  // The first sheet also carries the title and the legend; a few mm are kept for rounding.
  var MM = 96 / 25.4;
  var PAPER = data.poster
    ? { width: 819 * MM, height: 1163 * MM, first: 1163 * MM - 120 * MM, maxRow: 140, maxFont: 40 }
    : { width: 398 * MM, height: 272 * MM, first: 272 * MM - 45 * MM, maxRow: 40, maxFont: 16 };
  var BASE = data.poster ? { row: 40, font: 18, label: 420 } : { row: 26, font: 12, label: 260 };

  var expanded = {};
  if (data.focus) { expanded[data.focus] = true; }
  var zoom = { start: 0, end: 100 };
  var chart = null;
  var rows = [];
  var screenSize = sizes(BASE.row);
  var sheets = null;  // the charts on paper while printing
  var state = window.dubanBattlemap = {
    firstDrawMs: null, lastDrawMs: null, draws: 0, rows: 0, sheets: 0,
    expandAll: function () { data.projects.forEach(function (p) { expanded[p.id] = true; }); draw(); },
    collapseAll: function () { expanded = {}; draw(); },
    toggle: function (id) { expanded[id] = !expanded[id]; draw(); }
  };

  // --- dates: local midnights, so the time axis shows the calendar days of the data -------------
  var cache = {};
  function ts(iso) {
    var hit = cache[iso];
    if (hit === undefined) {
      var p = iso.split("-");
      hit = cache[iso] = new Date(+p[0], +p[1] - 1, +p[2]).getTime();
    }
    return hit;
  }
  function end(iso) { return ts(iso) + DAY; }  // the end of that day (DST-free in China)
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmt(t) { var d = new Date(t); return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }

  // --- text -------------------------------------------------------------------------------------
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function plain(text) { return String(text).replace(/[{}|]/g, " "); }  // rich-text markup is not data
  function clip(text, px, font) {
    var width = 0;
    for (var i = 0; i < text.length; i++) {
      width += text.charCodeAt(i) > 255 ? font : font * 0.6;
      if (width > px) { return text.slice(0, Math.max(0, i - 1)) + "…"; }
    }
    return text;
  }

  // --- sizes ------------------------------------------------------------------------------------
  function sizes(row, onPaper) {
    var font = onPaper ? Math.max(BASE.font, Math.min(PAPER.maxFont, Math.round(row * 0.42))) : BASE.font;
    var k = font / BASE.font;
    return {
      row: row, font: font, k: k, label: Math.round(BASE.label * k), slider: !onPaper,
      // Above the grid: the slider (on screen), the today label, the dates of the top axis.
      top: Math.round((onPaper ? 0 : 30) + font * 2 + 28), bottom: Math.round(font * 2 + 12)
    };
  }
  function chrome(size) { return size.top + size.bottom; }

  /* Rows per sheet: when everything fits on the first sheet the rows grow to fill it (up to a
   * limit); otherwise the screen's row height, as many whole rows per sheet as fit. */
  function paginate(count) {
    var base = sizes(BASE.row, true);
    var fit = Math.floor((PAPER.first - chrome(base)) / Math.max(count, 1));
    if (fit >= BASE.row) {
      var size = sizes(Math.min(PAPER.maxRow, fit), true);
      return [{ from: 0, to: count, size: size }];
    }
    var pages = [], from = 0, room = PAPER.first;
    while (from < count) {
      var n = Math.max(1, Math.floor((room - chrome(base)) / base.row));
      pages.push({ from: from, to: Math.min(count, from + n), size: base });
      from += n;
      room = PAPER.height;
    }
    return pages;
  }

  // --- rows -------------------------------------------------------------------------------------
  function buildRows() {
    var out = [];
    data.projects.forEach(function (p) {
      out.push({ key: "p" + p.id, p: p });
      if (expanded[p.id] && p.acts) {
        p.acts.forEach(function (a, i) { out.push({ key: "a" + p.id + "-" + i, p: p, a: a }); });
      }
    });
    return out;
  }
  function extent(item, project) {
    var lo = [], hi = [];
    if (item.s) { lo.push(ts(item.s)); hi.push(end(item.f)); }
    if (item.bs) { lo.push(ts(item.bs)); hi.push(end(item.bf)); }
    if (item.as) { lo.push(ts(item.as)); }
    if (project) { lo.push(ts(item.dl)); hi.push(end(item.dl)); }
    return [Math.min.apply(null, lo), Math.max.apply(null, hi)];
  }
  function label(row, size) {
    var width = size.label - 12;
    if (!row.a) {
      var p = row.p;
      var mark = p.acts ? (expanded[p.id] ? "▼ " : "▶ ") : "　 ";
      return "{m|" + mark + "}{p|" + plain(clip(p.code + " " + p.name, width - size.font * 1.5, size.font)) + "}";
    }
    var a = row.a;
    var text = plain(clip(a.c + " " + a.n, width - size.font * 2, size.font));
    return "{i|　　}" + (a.cr ? "{c|" + text + "}" : "{a|" + text + "}");
  }

  // --- drawing ----------------------------------------------------------------------------------
  function rect(x1, x2, y, h, style) {
    return { type: "rect", shape: { x: x1, y: y, width: Math.max(x2 - x1, 1), height: h }, style: style };
  }
  function diamond(cx, cy, r, style) {
    return { type: "polygon", shape: { points: [[cx, cy - r], [cx + r, cy], [cx, cy + r], [cx - r, cy]] }, style: style };
  }
  function flag(x, y, h, colour, k) {
    var w = h * 0.75;
    return {
      type: "group",
      children: [
        { type: "line", shape: { x1: x, y1: y - h / 2, x2: x, y2: y + h / 2 }, style: { stroke: "#333", lineWidth: 1.5 * k } },
        { type: "polygon", shape: { points: [[x, y - h / 2], [x + w, y - h / 2 + h * 0.22], [x, y - h / 2 + h * 0.44]] }, style: { fill: FLAG[colour] } }
      ]
    };
  }

  function renderer(slice, size) {
    var k = size.k;
    return function (params, api) {
      var row = slice[params.dataIndex];
      var centre = api.coord([0, api.value(0)])[1];
      var band = api.size([0, 1])[1];
      var x = function (t) { return api.coord([t, 0])[0]; };
      var children = [];
      var item = row.a || row.p;
      var barH = Math.max(6, band * (row.a ? 0.42 : 0.5));
      var top = centre - band * 0.34;
      var baselineY = top + barH + Math.max(1, band * 0.06);
      var baselineH = Math.max(3, band * 0.14);
      var colour = item.k || "";
      var milestone = row.a && row.a.m;

      if (item.bs) {  // the approved plan, thin and grey under the forecast
        if (milestone) {
          children.push(diamond((x(ts(item.bf)) + x(end(item.bf))) / 2, baselineY + baselineH / 2, baselineH * 1.4,
            { fill: "#fff", stroke: BASELINE, lineWidth: 1.5 * k }));
        } else {
          children.push(rect(x(ts(item.bs)), x(end(item.bf)), baselineY, baselineH, { fill: BASELINE }));
        }
      }
      if (item.s) {
        var x1 = x(ts(item.s)), x2 = x(end(item.f));
        var critical = row.a && row.a.cr;
        if (milestone) {
          var cx = (x(ts(item.f)) + x2) / 2;
          children.push(diamond(cx, top + barH / 2, barH * 0.75, {
            fill: colour === "done" ? SOLID.done : MILESTONE,
            stroke: critical ? CRITICAL : "#fff", lineWidth: (critical ? 2 : 1) * k
          }));
          x2 = cx + barH * 0.75;
        } else {
          var done = colour === "done";
          children.push(rect(x1, x2, top, barH, { fill: done ? SOLID.done : LIGHT[colour] }));
          var share = row.a ? row.a.p : row.p.pg;
          if (!done && share > 0) {  // the actual portion, filled
            children.push(rect(x1, x1 + (x2 - x1) * Math.min(share, 100) / 100, top, barH, { fill: SOLID[colour] }));
          }
          children.push(rect(x1, x2, top, barH, {  // the outline on top: red on the critical path
            fill: "none", stroke: critical ? CRITICAL : SOLID[colour], lineWidth: (critical ? 2 : 1) * k
          }));
        }
        if (item.fl) { children.push(flag(x2 + 3 * k, top + barH / 2, barH * 1.6, item.fl, k)); }
      }
      if (!row.a) {  // the project's mandated completion date
        var xd = x(end(item.dl));
        children.push({ type: "line", shape: { x1: xd, y1: centre - band * 0.45, x2: xd, y2: centre + band * 0.45 },
          style: { stroke: DEADLINE, lineWidth: 2 * k } });
        if (!item.s) {  // no bar: say why, left of the deadline (which is usually ahead)
          children.push({ type: "text", style: {
            text: item.err ? L.cannotSchedule : L.noPlan, x: xd - 6 * k, y: centre,
            fill: item.err ? CRITICAL : "#6c757d", font: size.font + "px sans-serif",
            align: "right", verticalAlign: "middle"
          } });
          if (item.fl) { children.push(flag(xd + 3 * k, centre, barH * 1.6, item.fl, k)); }
        }
      }
      return { type: "group", children: children };
    };
  }

  function tooltip(params) {
    var row = rows[params.dataIndex];
    if (!row) { return ""; }
    var lines = [];
    function range(name, s, f) { if (s) { lines.push(escapeHtml(name) + "：" + s + (f && f !== s ? " — " + f : "")); } }
    if (!row.a) {
      var p = row.p;
      lines.push("<b>" + escapeHtml(p.code + " " + p.name) + "</b>");
      if (p.leader) { lines.push(escapeHtml(L.leader + "：" + p.leader)); }
      if (p.section) { lines.push(escapeHtml(L.section + "：" + p.section)); }
      if (p.stage) { lines.push(escapeHtml(L.stage + "：" + p.stage)); }
      range(L.baseline, p.bs, p.bf);
      range(L.forecast, p.s, p.f);
      lines.push(escapeHtml(L.deadline + "：" + p.dl));
      if (p.tf !== undefined) { lines.push(escapeHtml(L.projectFloat + "：" + p.tf + " " + L.days)); }
      if (p.pg !== undefined) { lines.push(escapeHtml(L.progress + "：" + p.pg + "%")); }
      if (p.err) { lines.push('<span style="color:' + CRITICAL + '">' + escapeHtml(L.cannotSchedule + "：" + p.err) + "</span>"); }
      if (!p.s && !p.err) { lines.push(escapeHtml(L.noPlan)); }
      if (p.acts) { lines.push('<span style="color:#6c757d">' + escapeHtml(L.expand) + "</span>"); }
    } else {
      var a = row.a;
      lines.push("<b>" + escapeHtml(a.c + " " + a.n) + "</b>" + (a.m ? "（" + escapeHtml(L.milestone) + "）" : ""));
      range(L.baseline, a.bs, a.bf);
      range(L.forecast, a.s, a.f);
      range(L.actual, a.as, a.af);
      lines.push(escapeHtml(L.lateFinish + "：" + a.lf));
      lines.push(escapeHtml(L.float + "：" + a.tf + " " + L.days));
      if (a.p) { lines.push(escapeHtml(L.progress + "：" + a.p + "%")); }
      if (a.cr) { lines.push('<span style="color:' + CRITICAL + '">' + escapeHtml(L.critical) + "</span>"); }
    }
    var item = row.a || row.p;
    if (item.fl) { lines.push('<span style="color:' + FLAG[item.fl] + '">⚑ ' + escapeHtml(item.fl === "red" ? L.flagRed : L.flagBlack) + "</span>"); }
    return lines.join("<br>");
  }

  function option(slice, size) {
    var today = ts(data.asOf);
    var font = size.font;
    var axisLabel = { fontSize: font, hideOverlap: true,
      formatter: { year: "{yyyy}年", month: "{M}月", day: "{M}/{d}", hour: "", minute: "", second: "", millisecond: "" } };
    var dataZoom = [{ id: "inside", type: "inside", xAxisIndex: [0, 1], filterMode: "weakFilter", start: zoom.start,
      end: zoom.end, zoomOnMouseWheel: "ctrl", moveOnMouseWheel: false, moveOnMouseMove: true }];
    if (size.slider) {
      dataZoom.push({ id: "slider", type: "slider", xAxisIndex: [0, 1], filterMode: "weakFilter", top: 6, height: 18,
        start: zoom.start, end: zoom.end, labelFormatter: function (v) { return fmt(v); } });
    }
    return {
      animation: false,
      textStyle: { fontSize: font },
      grid: { left: size.label, right: 28 * size.k, top: size.top, bottom: size.bottom },
      tooltip: size.slider ? { trigger: "item", confine: true, formatter: tooltip, textStyle: { fontSize: font } } : { show: false },
      dataZoom: dataZoom,
      xAxis: [
        { type: "time", position: "top", min: ts(data.start), max: end(data.end), axisLabel: axisLabel,
          splitLine: { show: true, lineStyle: { color: "#e9ecef" } } },
        { type: "time", position: "bottom", min: ts(data.start), max: end(data.end), axisLabel: axisLabel }
      ],
      yAxis: {
        type: "category", inverse: true, triggerEvent: true,
        data: slice.map(function (r) { return r.key; }),
        axisTick: { show: false },
        splitLine: { show: true, lineStyle: { color: "#f1f3f5" } },
        axisLabel: {
          interval: 0, fontSize: font, align: "left", margin: size.label - 6,
          formatter: function (key, index) { return slice[index] ? label(slice[index], size) : key; },
          rich: {
            m: { fontSize: Math.round(font * 0.75), color: "#6c757d" },
            p: { fontSize: font, fontWeight: "bold", color: "#1f2937" },
            i: { fontSize: font },
            a: { fontSize: font, color: "#374151" },
            c: { fontSize: font, color: CRITICAL, fontWeight: "bold" }
          }
        }
      },
      series: [{
        type: "custom", renderItem: renderer(slice, size), clip: true, xAxisIndex: 0,
        encode: { x: [1, 2], y: 0, tooltip: [] },
        data: slice.map(function (r, i) {
          var span = extent(r.a || r.p, !r.a);
          return [i, span[0], span[1]];
        }),
        markLine: {
          silent: true, symbol: ["none", "none"], animation: false,
          // Above the top axis's dates, so that neither hides the other.
          label: { formatter: L.today + " " + fmt(today).slice(5), position: "start", distance: font + 10,
                   color: CRITICAL, fontSize: font },
          lineStyle: { color: CRITICAL, type: "dashed", width: 1.5 * size.k },
          data: [{ xAxis: today }]
        }
      }]
    };
  }

  // --- the screen chart --------------------------------------------------------------------------
  function draw() {
    var started = performance.now();
    rows = buildRows();
    el.style.height = rows.length * screenSize.row + chrome(screenSize) + "px";
    if (chart === null) {
      chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(rows, screenSize));
      chart.on("click", onClick);
      chart.on("datazoom", function () {
        var dz = chart.getOption().dataZoom[0];
        zoom = { start: dz.start, end: dz.end };
      });
    } else {
      chart.setOption(option(rows, screenSize), { notMerge: true, lazyUpdate: true });
      chart.resize();
    }
    var ms = performance.now() - started;
    if (state.firstDrawMs === null) { state.firstDrawMs = ms; }
    state.lastDrawMs = ms;
    state.draws += 1;
    state.rows = rows.length;
    state.chart = chart;
  }

  function onClick(params) {
    var row = null;
    if (params.componentType === "yAxis") {
      row = rows.filter(function (r) { return r.key === params.value; })[0];
    } else if (params.componentType === "series") {
      row = rows[params.dataIndex];
    }
    if (row && !row.a && row.p.acts) { state.toggle(row.p.id); }
  }

  // --- paper: one chart per sheet at the paper width, in place of the screen chart -------------
  function printLayout(on) {
    if (on === (sheets !== null)) { return; }
    if (!on) {
      sheets.charts.forEach(function (c) { c.dispose(); });
      sheets.box.remove();
      sheets = null;
      el.style.display = "";
      state.sheets = 0;
      return;
    }
    var box = document.createElement("div");
    box.className = "battlemap-sheets";
    el.parentNode.insertBefore(box, el.nextSibling);
    el.style.display = "none";
    var charts = paginate(rows.length).map(function (page, n) {
      var slice = rows.slice(page.from, page.to);
      var div = document.createElement("div");
      div.className = "battlemap-sheet" + (n > 0 ? " battlemap-sheet--next" : "");
      div.style.width = Math.floor(PAPER.width) + "px";
      div.style.height = slice.length * page.size.row + chrome(page.size) + "px";
      box.appendChild(div);
      var sheet = echarts.init(div, null, { renderer: "svg" });
      sheet.setOption(option(slice, page.size));
      return sheet;
    });
    sheets = { box: box, charts: charts };
    state.sheets = charts.length;
  }
  window.addEventListener("beforeprint", function () { printLayout(true); });
  window.addEventListener("afterprint", function () { printLayout(false); });
  var media = window.matchMedia("print");
  if (media.addEventListener) {
    media.addEventListener("change", function (event) { printLayout(event.matches); });
  }
  window.addEventListener("resize", function () { if (sheets === null) { chart.resize(); } });

  // --- buttons (no inline handlers) --------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-battlemap-action], [data-battlemap-toggle]");
    if (!target) { return; }
    var action = target.getAttribute("data-battlemap-action");
    if (action === "expand-all") { state.expandAll(); }
    else if (action === "collapse-all") { state.collapseAll(); }
    else if (action === "print") { window.print(); }
    else if (target.hasAttribute("data-battlemap-toggle")) {
      state.toggle(+target.getAttribute("data-battlemap-toggle"));
      el.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  });

  draw();
})();
