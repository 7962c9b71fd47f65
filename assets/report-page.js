// The acksim HTML report's page script (issue 18 §2): draws the JSON report held in #acksim-data, whatever its
// kind (run, runs, audit, compare, sweep, explore, live), with uPlot for the charts and plain SVG for the cause
// bars, the error bars and the message timelines. Inlined in the page with uPlot: it makes no network request.
// Every text of the report is set as text (never as markup), since scenario names and descriptions are the user's.
(() => {
  'use strict';
  const payload = JSON.parse(document.getElementById('acksim-data').textContent);
  const report = payload.report;
  const app = document.getElementById('app');
  /** Okabe-Ito: told apart with every kind of colour vision, and in print. */
  const MODE_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
  const CAUSE_COLORS = ['#4E79A7', '#F28E2B', '#E15759', '#76B7B2', '#59A14F', '#EDC948', '#B07AA1', '#FF9DA7'];
  const SVG_NS = 'http://www.w3.org/2000/svg';
  /** What the tests read: every chart drawn, with its series and points. */
  const drawn = (window.acksimCharts = []);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined) node.setAttribute(k, String(v));
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function titled(node, text) {
    const title = svgEl('title', {}, text);
    node.append(title);
    return node;
  }

  const number = (n) =>
    typeof n !== 'number'
      ? String(n)
      : Number.isInteger(n)
        ? n.toLocaleString('en-US')
        : n.toLocaleString('en-US', { maximumSignificantDigits: 4 });
  const percent = (r) => `${(r * 100).toLocaleString('en-US', { maximumFractionDigits: 3 })} %`;
  const isRate = (name) => /Rate$/.test(name);
  const show = (name, value) => (typeof value === 'number' && isRate(name) ? percent(value) : number(value));
  const slug = (...parts) => parts.join('-').replace(/[^A-Za-z0-9_-]+/g, '_');
  const gloss = (cause) => (payload.glossary && payload.glossary[cause]) || '';
  /** Element ids, each used once: two files or timelines whose names slug alike get a number. */
  const usedIds = new Set();
  function uniqueId(...parts) {
    const base = slug(...parts);
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
    usedIds.add(id);
    return id;
  }
  const sectionIds = new Map();
  const sectionId = (file) => {
    if (!sectionIds.has(file)) sectionIds.set(file, uniqueId('scenario', file));
    return sectionIds.get(file);
  };
  /** Each timeline's anchor, and the first timeline of each cause in each mode (what the cause bars link to). */
  const timelineIds = new Map();
  const causeAnchors = new Map();
  for (const tl of payload.timelines || []) {
    const id = uniqueId('tl', tl.file, tl.mode, tl.cause || `message-${tl.message}`);
    timelineIds.set(tl, id);
    const key = `${tl.file}\u0000${tl.mode}\u0000${tl.cause}`;
    if (tl.cause && !causeAnchors.has(key)) causeAnchors.set(key, id);
  }

  function badge(ok, text) {
    const cls = ok === true ? 'pass' : ok === false ? 'fail' : 'inconclusive';
    return el('span', { class: `badge ${cls}` }, text || cls.toUpperCase());
  }

  function table(head, rows, cls) {
    return el(
      'table',
      { class: cls || '' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          head.map((h) => el('th', {}, h)),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((row) =>
          el(
            'tr',
            {},
            row.map((cell) => (cell instanceof Node ? el('td', {}, cell) : el('td', {}, cell))),
          ),
        ),
      ),
    );
  }

  // ---- charts (uPlot) ----

  /** Shaded bands (outages, partitions) and lines (redrives) from the scenario's faults, behind the series. */
  function drawBands(u, bands) {
    const { ctx, bbox } = u;
    const right = bbox.left + bbox.width;
    ctx.save();
    for (const band of bands) {
      const x0 = Math.max(bbox.left, u.valToPos(band.fromMs / 1000, 'x', true));
      const x1 = Math.min(right, u.valToPos(band.toMs / 1000, 'x', true));
      if (band.toMs > band.fromMs) {
        // A window (an outage, a partition): shaded, clipped to the plot as it is zoomed.
        if (x1 <= x0) continue;
        ctx.fillStyle = 'rgba(110, 110, 110, 0.14)';
        ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
      } else if (x0 > bbox.left && x0 < right) {
        // An instant (a redrive): a thin grey line, in no mode's colour.
        ctx.fillStyle = 'rgba(80, 80, 80, 0.7)';
        ctx.fillRect(x0 - 1, bbox.top, 2, bbox.height);
      }
    }
    ctx.restore();
  }

  /**
   * A line chart of one quantity, one line per series, on x (seconds, or a swept value); `bands` shade fault
   * windows; `sync` links the cursors of the charts that share a time axis.
   */
  function lineChart(parent, spec) {
    const box = el('div', { class: 'chart', 'data-title': spec.title, 'data-series': spec.series.length });
    box.dataset.points = String(spec.x.length);
    parent.append(box);
    const width = spec.width || Math.max(320, Math.min(1100, (parent.clientWidth || 960) - 8));
    const series = [
      { label: spec.xLabel },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: s.color || MODE_COLORS[i % MODE_COLORS.length],
        width: 1.5,
        dash: s.dash,
        points: { show: spec.x.length < 40 },
        fill: s.fill,
        // A null is a gap: an indicator with nothing to divide, or a mode whose run had ended.
        spanGaps: false,
      })),
    ];
    const options = {
      title: spec.title,
      width,
      height: spec.height || 190,
      scales: { x: { time: false } },
      series,
      axes: [{ label: spec.xLabel }, { size: 64, label: spec.yLabel }],
      cursor: spec.sync ? { sync: { key: spec.sync } } : {},
      hooks: spec.bands && spec.bands.length > 0 ? { drawClear: [(u) => drawBands(u, spec.bands)] } : {},
      bands: spec.fillBands || [],
      legend: { live: true },
    };
    new uPlot(options, [spec.x, ...spec.series.map((s) => s.values)], box);
    drawn.push({
      title: spec.title,
      series: spec.series.length,
      points: spec.x.length,
      intervalMs: spec.intervalMs,
      x: spec.x,
      lines: spec.series.map((s) => ({ label: s.label, values: s.values })),
    });
    return box;
  }

  /** The charts worth drawing of a scenario's time series: those where some mode's line moves. */
  const SERIES_CHARTS = [
    ['stored', 'Stored by the broker: queue depth (M6)', 'messages'],
    ['consumerLag', "Consumer lag: records past the group's committed offsets", 'records'],
    ['publishesPerSec', 'Publishes per second (first attempts and retries)', 'per s'],
    ['deliveriesPerSec', 'Deliveries per second', 'per s'],
    ['redeliveriesPerSec', 'Redeliveries per second', 'per s'],
    ['effectsPerSec', 'Effects per second', 'per s'],
    ['duplicateEffectsPerSec', 'Duplicate effects per second', 'per s'],
    ['lostPerSec', 'Losses per second', 'per s'],
    ['inFlight', 'In flight (delivered, not yet acked)', 'messages'],
    ['delayed', 'Delayed or backing off', 'messages'],
    ['deadLetterQueue', 'Dead-letter queue depth', 'messages'],
    ['consumersUp', 'Consumers up', 'consumers'],
    ['deliverySuccessRate', 'Settled messages whose effect ran, so far (M1)', 'fraction'],
    ['duplicateEffectRate', 'Duplicate effects / effects in each interval (M2)', 'fraction'],
    ['retriesPerMessage', 'Retries per message so far (M3)', 'retries'],
    ['deadLettersPerHour', 'Dead letters per hour (M4)', 'per h'],
    ['latencyP50Ms', 'Latency p50 of the first effects in each interval, largest merged (M5)', 'ms'],
    ['latencyP99Ms', 'Latency p99 of the first effects in each interval, largest merged (M5)', 'ms'],
    ['dedupeHitRate', 'Dedupe store hit rate in each interval (M7)', 'fraction'],
    ['visibilityTimeoutBreachesPerSec', 'Visibility timeout breaches per second (M9)', 'per s'],
  ];
  /** How a series merges over a longer interval: the later value, a time-weighted mean, or the largest. */
  const LATER = new Set([
    'stored',
    'ready',
    'inFlight',
    'delayed',
    'deadLetterQueue',
    'consumersUp',
    'consumerLag',
    'lost',
    'deadLettered',
    'deliverySuccessRate',
    'retriesPerMessage',
  ]);
  const LARGEST = new Set(['latencyP50Ms', 'latencyP99Ms']);

  /**
   * A mode's series on an interval of `coarse` ms (a multiple of its own): each of its points falls in the
   * interval ending at the next multiple of `coarse`; levels keep the later value, rates are weighted by time,
   * ratios recomputed from their parts, latencies the largest. Returns the interval ends and a value getter.
   */
  function coarsened(ts, coarse) {
    const buckets = new Map();
    ts.t.forEach((t, j) => {
      const end = Math.ceil(t / coarse - 1e-9) * coarse;
      if (!buckets.has(end)) buckets.set(end, []);
      buckets.get(end).push(j);
    });
    const span = (j) => ts.t[j] - (j === 0 ? 0 : ts.t[j - 1]);
    const weighted = (values, points) => {
      const time = points.reduce((a, j) => a + span(j), 0);
      return time > 0 ? points.reduce((a, j) => a + (values[j] || 0) * span(j), 0) / time : 0;
    };
    const merge = (name, values, points) => {
      const present = points.filter((j) => values[j] !== null && values[j] !== undefined);
      if (LATER.has(name)) return values[points[points.length - 1]];
      if (LARGEST.has(name)) return present.length === 0 ? null : Math.max(...present.map((j) => values[j]));
      if (name === 'duplicateEffectRate') {
        const effects = weighted(ts.series.effectsPerSec, points);
        return effects > 0 ? weighted(ts.series.duplicateEffectsPerSec, points) / effects : null;
      }
      if (name === 'dedupeHitRate') {
        if (present.length === 0) return null;
        // hits / (hits + effects) per point gives its hits back from its effects (where it is below 1).
        const effects = (j) => (ts.series.effectsPerSec[j] || 0) * span(j);
        const hits = present.reduce((a, j) => a + (values[j] < 1 ? (values[j] * effects(j)) / (1 - values[j]) : 0), 0);
        const all = hits + present.reduce((a, j) => a + effects(j), 0);
        return all > 0 ? hits / all : null;
      }
      return weighted(values, points);
    };
    return { ends: [...buckets.keys()], value: (name, values, end) => merge(name, values, buckets.get(end)) };
  }

  function timeSeriesCharts(parent, scenario, results) {
    const withSeries = results.filter((r) => r.timeSeries);
    if (withSeries.length === 0) return;
    // Modes keep their own interval (each doubles as its run grows long): drawn at the coarsest, so that a
    // rate is the same measure in every line.
    const coarse = Math.max(...withSeries.map((r) => r.timeSeries.sampleMs));
    const section = el(
      'section',
      { class: 'series' },
      el('h3', {}, 'Over time (virtual seconds)'),
      el('p', { class: 'note' }, `Each point covers ${number(coarse)} ms of virtual time, in every mode.`),
    );
    const bands = ((payload.scenarios && payload.scenarios[scenario.file]) || {}).bands || [];
    if (bands.length > 0)
      section.append(
        el('p', { class: 'note' }, 'Grey: ', bands.map((b) => b.label).join('; '), " (the scenario's faults)."),
      );
    const grid = el('div', { class: 'chart-grid' });
    section.append(grid);
    parent.append(section);
    const modes = withSeries.map((r) => ({ r, c: coarsened(r.timeSeries, coarse) }));
    const times = [...new Set(modes.flatMap((m) => m.c.ends))].sort((a, b) => a - b);
    const x = times.map((t) => t / 1000);
    const sync = sectionId(scenario.file);
    const draw = (title, unit, lines) => {
      // Drawn where some line moves (a flat line, such as every consumer up throughout, says nothing a table
      // does not), or a rate holds above zero.
      const moves = lines.some((l) => {
        const values = l.values.filter((v) => typeof v === 'number');
        return values.some((v) => v !== values[0]) || (values.length > 0 && values[0] !== 0 && unit.startsWith('per'));
      });
      if (!moves) return;
      const width = Math.max(320, Math.floor(((grid.clientWidth || 1100) - 16) / 2));
      const spec = { title, x, xLabel: 'virtual time (s)', yLabel: unit, series: lines, bands, sync, width };
      lineChart(grid, { ...spec, intervalMs: coarse });
    };
    const line = (m, i, name, values, label) => {
      const ends = new Set(m.c.ends);
      return {
        label,
        values: times.map((t) => (ends.has(t) ? m.c.value(name, values, t) : null)),
        color: MODE_COLORS[i % 8],
      };
    };
    for (const [name, title, unit] of SERIES_CHARTS)
      draw(
        title,
        unit,
        modes.map((m, i) => line(m, i, name, m.r.timeSeries.series[name], m.r.mode)),
      );
    // Losses by cause: a line per mode and cause, dashed after the first cause of a mode.
    const byCause = modes.flatMap((m, i) =>
      Object.entries(m.r.timeSeries.lostPerSecByCause || {}).map(([cause, values], k) => ({
        ...line(m, i, 'lostPerSec', values, `${m.r.mode}: ${cause}`),
        dash: k === 0 ? undefined : [6, 3],
      })),
    );
    if (byCause.length > 1) draw('Losses per second by cause', 'per s', byCause);
  }

  // ---- causes ----

  function causeBars(parent, scenario, results) {
    const rows = results.map((r) => ({ mode: r.mode, lost: r.lossByCause || {}, dup: r.duplicatesByCause || {} }));
    const total = (byCause) => Object.values(byCause).reduce((a, b) => a + b, 0);
    const largest = Math.max(1, ...rows.map((r) => Math.max(total(r.lost), total(r.dup))));
    if (rows.every((r) => total(r.lost) === 0 && total(r.dup) === 0)) return;
    const causes = [...new Set(rows.flatMap((r) => [...Object.keys(r.lost), ...Object.keys(r.dup)]))];
    const colorOf = (cause) => CAUSE_COLORS[causes.indexOf(cause) % CAUSE_COLORS.length];
    const width = 560;
    const barH = 16;
    const labelW = 190;
    const svg = svgEl('svg', {
      class: 'causes',
      viewBox: `0 0 ${labelW + width + 60} ${rows.length * 2 * (barH + 6) + 8}`,
      role: 'img',
      'aria-label': 'lost and duplicated messages by cause, per mode',
    });
    let y = 4;
    for (const row of rows) {
      for (const [kind, byCause] of [
        ['lost', row.lost],
        ['duplicated', row.dup],
      ]) {
        svg.append(svgEl('text', { x: labelW - 6, y: y + barH - 4, 'text-anchor': 'end' }, `${row.mode} ${kind}`));
        let x = labelW;
        for (const [cause, n] of Object.entries(byCause)) {
          if (n === 0) continue;
          const w = (n / largest) * width;
          const rect = svgEl('rect', { x, y, width: Math.max(1, w), height: barH, fill: colorOf(cause) });
          rect.classList.add('cause');
          rect.dataset.cause = cause;
          titled(rect, `${row.mode}: ${number(n)} ${kind} by ${cause}${gloss(cause) ? ` (${gloss(cause)})` : ''}`);
          const anchor = causeAnchors.get(`${scenario.file}\u0000${row.mode}\u0000${cause}`);
          if (anchor) {
            const link = svgEl('a', { href: `#${anchor}` });
            link.append(rect);
            svg.append(link);
          } else svg.append(rect);
          x += w;
        }
        const sum = total(byCause);
        svg.append(svgEl('text', { x: x + 4, y: y + barH - 4 }, sum === 0 ? '0' : number(sum)));
        y += barH + 6;
      }
    }
    const legend = el(
      'p',
      { class: 'legend' },
      causes
        .filter((c) => rows.some((r) => (r.lost[c] || 0) + (r.dup[c] || 0) > 0))
        .map((c) =>
          el(
            'span',
            { title: gloss(c) },
            el('i', { style: `background:${colorOf(c)}` }),
            c,
            gloss(c) ? `: ${gloss(c)}` : '',
          ),
        ),
    );
    parent.append(
      el('section', { class: 'cause-bars' }, el('h3', {}, 'Why: lost and duplicated by cause'), svg, legend),
    );
  }

  // ---- timelines ----

  const LANES = ['producer', 'network', 'broker', 'consumer', 'sink'];
  const BAD = /^(drop|crash|lost|expire|visibility timeout|dead-letter|reject|fail)/;

  /** A message's life as a swimlane: one column per event in order, one lane per actor; drops crossed out. */
  function timeline(tl) {
    const step = 64;
    const laneH = 30;
    const left = 84;
    const top = 12;
    const events = tl.events;
    const width = left + events.length * step + 24;
    const height = top + LANES.length * laneH + 34;
    const svg = svgEl('svg', { class: 'timeline', width, height, viewBox: `0 0 ${width} ${height}` });
    svg.dataset.message = String(tl.message);
    LANES.forEach((lane, i) => {
      const y = top + i * laneH + laneH / 2;
      svg.append(svgEl('line', { x1: left - 6, x2: width - 8, y1: y, y2: y, class: 'lane' }));
      svg.append(svgEl('text', { x: 6, y: y + 4, class: 'lane-name' }, lane));
    });
    let previous;
    events.forEach((e, i) => {
      const x = left + i * step + step / 2;
      const y = top + LANES.indexOf(e.actor) * laneH + laneH / 2;
      if (previous) svg.append(svgEl('line', { x1: previous.x, y1: previous.y, x2: x, y2: y, class: 'flow' }));
      previous = { x, y };
      const bad = BAD.test(e.event);
      const group = svgEl('g', { class: `event${bad ? ' bad' : ''}` });
      group.dataset.t = String(e.t);
      group.dataset.event = e.event;
      if (e.event === 'crash')
        group.append(svgEl('path', { d: `M${x} ${y - 7} L${x + 7} ${y + 6} L${x - 7} ${y + 6} Z` }));
      else group.append(svgEl('circle', { cx: x, cy: y, r: 5 }));
      if (e.event === 'drop') {
        group.append(svgEl('line', { x1: x - 6, y1: y - 6, x2: x + 6, y2: y + 6, class: 'cross' }));
        group.append(svgEl('line', { x1: x - 6, y1: y + 6, x2: x + 6, y2: y - 6, class: 'cross' }));
      }
      const label = svgEl('text', { x, y: y - 9, 'text-anchor': 'middle', class: 'event-name' }, e.event);
      if (e.event === 'drop') label.setAttribute('text-decoration', 'line-through');
      group.append(label);
      const facts = Object.entries(e)
        .filter(([k]) => k !== 't' && k !== 'actor' && k !== 'event')
        .map(([k, v]) => `${k} ${v}`);
      titled(group, `${number(e.t)} ms  ${e.actor} ${e.event}${facts.length ? `  (${facts.join(', ')})` : ''}`);
      svg.append(group);
      svg.append(svgEl('text', { x, y: height - 8, 'text-anchor': 'middle', class: 'time' }, timeText(e.t)));
    });
    return svg;
  }

  function timeText(ms) {
    if (ms >= 100_000) return `${(ms / 1000).toFixed(0)} s`;
    if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
    return `${Math.round(ms * 10) / 10} ms`;
  }

  function timelines(parent, scenarioFile, mode) {
    const chosen = (payload.timelines || []).filter((t) => t.file === scenarioFile && t.mode === mode);
    if (chosen.length === 0) return;
    const section = el('section', { class: 'timelines' }, el('h4', {}, `Timelines: ${mode}`));
    for (const tl of chosen) {
      const why = tl.cause ? ` (${tl.cause}${gloss(tl.cause) ? `: ${gloss(tl.cause)}` : ''})` : '';
      const anchor = timelineIds.get(tl);
      section.append(
        el('h5', { id: anchor }, `message ${tl.message}: ${tl.outcome}${why}${tl.label ? `, ${tl.label}` : ''}`),
        el('div', { class: 'scroll' }, timeline(tl)),
      );
      if (tl.truncated) section.append(el('p', { class: 'note' }, 'Only the first events of this message are drawn.'));
    }
    parent.append(section);
  }

  // ---- one scenario of a run (one run per mode, or many) ----

  const METRICS = [
    'produced',
    'processed',
    'lost',
    'deadLettered',
    'duplicates',
    'duplicateEffects',
    'lossRate',
    'duplicateRate',
    'retryRate',
    'publishRetries',
    'redeliveries',
    'visibilityTimeoutBreaches',
    'maxQueueDepth',
    'peakPublishPerSec',
    'outOfOrder',
    'stateError',
    'unresolved',
    'simulatedMs',
  ];

  function metricValue(result, name) {
    if (result.metrics) {
      const v = name.startsWith('latencyMs.') ? result.metrics.latencyMs[name.slice(10)] : result.metrics[name];
      return show(name, v);
    }
    const a = result.aggregate && result.aggregate.metrics && result.aggregate.metrics[name];
    if (!a) return '';
    if (a.lower === a.upper) return show(name, a.mean);
    return `${show(name, a.mean)} [${show(name, a.lower)}–${show(name, a.upper)}]`;
  }

  function scenarioSection(scenario) {
    const results = scenario.results.map((r) =>
      r.aggregate
        ? { ...r, lossByCause: r.aggregate.lossByCause, duplicatesByCause: r.aggregate.duplicatesByCause }
        : r,
    );
    const checks = results.flatMap((r) => r.checks || []);
    const failed = checks.some((c) => c.status === 'fail');
    const inconclusive = checks.some((c) => c.status === 'inconclusive') || results.some((r) => r.inconclusive);
    const ok = checks.length === 0 ? undefined : failed ? false : inconclusive ? undefined : true;
    const details = (payload.scenarios && payload.scenarios[scenario.file]) || {};
    const section = el(
      'section',
      { class: 'scenario', id: sectionId(scenario.file) },
      el('h2', {}, badge(ok, checks.length === 0 && !inconclusive ? 'NO CHECKS' : undefined), ' ', scenario.name),
      scenario.summary ? el('p', { class: 'summary' }, scenario.summary) : null,
      details.description ? el('details', {}, el('summary', {}, 'The lesson'), el('p', {}, details.description)) : null,
      el(
        'p',
        { class: 'meta' },
        `${number(scenario.messages)} messages, seed ${scenario.seed}`,
        scenario.runs ? `, ${number(scenario.runs)} runs per mode (95 % intervals)` : '',
      ),
      el('p', { class: 'reproduce' }, 'Reproduce: ', el('code', {}, scenario.reproduce)),
    );
    const latency = ['latencyMs.p50', 'latencyMs.p99'];
    const names = [...METRICS, ...(results.some((r) => r.metrics) ? latency : [])].filter((name) =>
      results.some((r) => metricValue(r, name) !== '' && metricValue(r, name) !== '0'),
    );
    section.append(
      el(
        'div',
        { class: 'scroll' },
        table(
          ['metric', ...results.map((r) => r.mode)],
          names.map((n) => [n, ...results.map((r) => metricValue(r, n))]),
          'metrics',
        ),
      ),
    );
    if (checks.length > 0)
      section.append(
        el('h3', {}, 'Checks'),
        table(
          ['mode', 'check', 'actual', 'verdict'],
          checks.map((c) => [
            c.mode,
            el('code', {}, c.expr),
            show(c.expr.split(/\s/)[0], c.actual),
            badge(c.status === 'pass' ? true : c.status === 'fail' ? false : undefined, c.status),
          ]),
          'checks',
        ),
      );
    if (scenario.results.some((r) => r.inconclusive))
      section.append(
        el(
          'p',
          { class: 'note' },
          scenario.results
            .map((r) => r.inconclusive)
            .filter(Boolean)
            .join(' '),
        ),
      );
    causeBars(section, scenario, results);
    timeSeriesCharts(section, scenario, results);
    for (const r of results) timelines(section, scenario.file, r.mode);
    return section;
  }

  // ---- the other kinds ----

  function compareView() {
    const modes = report.modes;
    const section = el(
      'section',
      { class: 'scenario' },
      el('h2', {}, report.name),
      el('p', { class: 'summary' }, report.summary || ''),
    );
    section.append(el('p', { class: 'reproduce' }, 'Reproduce: ', el('code', {}, report.reproduce)));
    const names = METRICS.filter((n) => modes.some((m) => report.metrics[m][n] !== 0));
    section.append(
      table(
        ['metric', ...modes],
        names.map((n) => [n, ...modes.map((m) => show(n, report.metrics[m][n]))]),
        'metrics',
      ),
    );
    section.append(el('h3', {}, 'The same messages, mode against mode'));
    const transitions = ['lostThenDelivered', 'deliveredThenLost', 'duplicatedThenSingle', 'singleThenDuplicated'];
    section.append(
      table(
        ['from → to', ...transitions, 'lost in both', 'duplicated in both'],
        report.pairs.map((p) => [
          `${p.from} → ${p.to}`,
          ...transitions.map((k) => {
            const t = p[k];
            return t.example
              ? `${number(t.count)} (e.g. #${t.example.id}${t.example.cause ? `, ${t.example.cause}` : ''})`
              : number(t.count);
          }),
          number(p.lostInBoth),
          number(p.duplicatedInBoth),
        ]),
        'checks',
      ),
    );
    for (const p of report.pairs) {
      section.append(el('h4', {}, `Differences ${p.to} − ${p.from} (95 % intervals)`));
      section.append(
        table(
          ['metric', 'mean', 'interval'],
          Object.entries(p.differences).map(([k, d]) => [
            k,
            show(k, d.mean),
            `${show(k, d.lower)} to ${show(k, d.upper)}`,
          ]),
          'metrics',
        ),
      );
    }
    app.append(section);
  }

  function sweepView() {
    const section = el(
      'section',
      { class: 'scenario' },
      el('h2', {}, `${report.name}: ${report.metric} against ${report.params.map((p) => p.path).join(', ')}`),
    );
    section.append(el('p', { class: 'reproduce' }, 'Reproduce: ', el('code', {}, report.reproduce)));
    const numeric = report.params.length === 1 && report.points.every((p) => typeof p.values[0] === 'number');
    const modes = [...new Set(report.points.flatMap((p) => p.results.map((r) => r.mode)))];
    const metric = report.metric;
    const pick = (r, which) => (r[which] ? r[which][metric] : r.metrics ? r.metrics[metric] : null);
    if (numeric) {
      // uPlot draws x in order: the points as swept may run down.
      const points = [...report.points].sort((a, b) => a.values[0] - b.values[0]);
      const x = points.map((p) => p.values[0]);
      const series = [];
      const fillBands = [];
      modes.forEach((mode, i) => {
        const at = (which) =>
          points.map((p) => {
            const r = p.results.find((q) => q.mode === mode);
            return r ? pick(r, which) : null;
          });
        const color = MODE_COLORS[i % 8];
        series.push({ label: mode, values: at('mean'), color });
        if (report.points[0].results[0].lower) {
          series.push({ label: `${mode} lower`, values: at('lower'), color: `${color}55`, dash: [4, 4] });
          series.push({ label: `${mode} upper`, values: at('upper'), color: `${color}55`, dash: [4, 4] });
          fillBands.push({ series: [series.length, series.length - 1], fill: `${color}22` });
        }
      });
      lineChart(section, {
        title: `${metric} (mean, 95 % interval)`,
        x,
        xLabel: report.params[0].path,
        yLabel: metric,
        series,
        fillBands,
        height: 280,
      });
    }
    section.append(
      table(
        [...report.params.map((p) => p.path), ...modes],
        report.points.map((p) => [
          ...p.values.map(String),
          ...modes.map((m) => {
            const r = p.results.find((q) => q.mode === m);
            return r ? show(metric, pick(r, 'mean')) : '';
          }),
        ]),
        'metrics',
      ),
    );
    app.append(section);
  }

  function exploreView() {
    const section = el(
      'section',
      { class: 'scenario' },
      el('h2', {}, `${report.scenario}: every schedule of up to ${report.maxFaults} faults`),
    );
    section.append(
      el(
        'p',
        { class: 'meta' },
        `${number(report.messages)} messages, fault space ${report.faultSpace}, seed ${report.seed}`,
      ),
    );
    section.append(
      table(
        ['mode', 'schedules', 'pruned', 'complete', 'guarantee', 'holds', 'violations'],
        report.modes.flatMap((m) =>
          m.guarantees.map((g, i) => [
            i === 0 ? m.mode : '',
            i === 0 ? number(m.schedules) : '',
            i === 0 ? number(m.pruned) : '',
            i === 0 ? String(m.complete) : '',
            el('code', {}, g.name),
            badge(g.holds, g.holds ? 'holds' : 'broken'),
            number(g.violations),
          ]),
        ),
        'checks',
      ),
    );
    for (const m of report.modes) timelines(section, report.file, m.mode);
    app.append(section);
  }

  /** Live rates against the model: the live interval as an error bar, the live rate a dot, the model a diamond. */
  function liveView() {
    const section = el(
      'section',
      { class: 'scenario' },
      el(
        'h2',
        {},
        badge(report.verdict === 'agree' ? true : report.verdict === 'disagree' ? false : undefined, report.verdict),
        ' ',
        `${report.scenario} on ${report.broker}`,
      ),
    );
    const rows = report.modes.flatMap((m) => [
      { label: `${m.mode} loss`, r: m.lossRate, verdict: m.verdict },
      { label: `${m.mode} dup`, r: m.duplicateRate, verdict: m.verdict },
    ]);
    const top = Math.max(
      0.01,
      ...rows.flatMap((row) => [row.r.interval.upper, row.r.predicted, row.r.tolerance ? row.r.tolerance.upper : 0]),
    );
    const w = 520;
    const left = 200;
    const svg = svgEl('svg', {
      class: 'fidelity',
      viewBox: `0 0 ${left + w + 80} ${rows.length * 26 + 30}`,
      role: 'img',
      'aria-label': 'live rates and their intervals beside the model',
    });
    const xOf = (v) => left + (v / top) * w;
    rows.forEach((row, i) => {
      const y = 16 + i * 26;
      svg.append(svgEl('text', { x: left - 8, y: y + 4, 'text-anchor': 'end' }, row.label));
      if (row.r.tolerance)
        svg.append(
          titled(
            svgEl('line', {
              x1: xOf(row.r.tolerance.lower),
              x2: xOf(row.r.tolerance.upper),
              y1: y,
              y2: y,
              class: 'tolerance',
            }),
            `the model agrees inside ${percent(row.r.tolerance.lower)} to ${percent(row.r.tolerance.upper)}`,
          ),
        );
      svg.append(
        titled(
          svgEl('line', {
            x1: xOf(row.r.interval.lower),
            x2: xOf(row.r.interval.upper),
            y1: y,
            y2: y,
            class: 'errorbar',
          }),
          `live ${percent(row.r.interval.lower)} to ${percent(row.r.interval.upper)}`,
        ),
      );
      svg.append(
        titled(svgEl('circle', { cx: xOf(row.r.live), cy: y, r: 4, class: 'live' }), `live ${percent(row.r.live)}`),
      );
      const p = xOf(row.r.predicted);
      svg.append(
        titled(
          svgEl('path', { d: `M${p} ${y - 6} L${p + 6} ${y} L${p} ${y + 6} L${p - 6} ${y} Z`, class: 'model' }),
          `model ${percent(row.r.predicted)}`,
        ),
      );
    });
    svg.append(svgEl('text', { x: left, y: rows.length * 26 + 24 }, '0'));
    svg.append(svgEl('text', { x: left + w, y: rows.length * 26 + 24, 'text-anchor': 'end' }, percent(top)));
    section.append(
      el(
        'p',
        { class: 'note' },
        `Dark bars: the live rate's ${(report.confidence ?? 0.95) * 100} % interval; pale bars: where the model ` +
          "agrees (the interval widened by the model run's own spread); dots: live; diamonds: the model.",
      ),
      svg,
    );
    section.append(
      table(
        ['mode', 'messages', 'loss live', 'loss model', 'dup live', 'dup model', 'verdict', 'why'],
        report.modes.map((m) => [
          m.mode,
          number(m.produced),
          percent(m.lossRate.live),
          percent(m.lossRate.predicted),
          percent(m.duplicateRate.live),
          percent(m.duplicateRate.predicted),
          m.verdict,
          m.reason || '',
        ]),
        'metrics',
      ),
    );
    app.append(section);
  }

  // ---- the page ----

  /**
   * The report's verdict as the command line gives it (its exit code): interrupted, a failed check, inconclusive
   * (a check or a result that could not be judged, or no check at all), else a pass. Undefined for kinds without.
   */
  function reportVerdict() {
    if (!Array.isArray(report.scenarios)) return undefined;
    if (report.interrupted === true) return { ok: undefined, text: 'INTERRUPTED' };
    const results = report.scenarios.flatMap((s) => s.results);
    const checks = results.flatMap((r) => r.checks || []);
    if (checks.some((c) => c.status === 'fail')) return { ok: false, text: 'FAIL' };
    if (checks.some((c) => c.status === 'inconclusive') || results.some((r) => r.inconclusive))
      return { ok: undefined, text: 'INCONCLUSIVE' };
    if (checks.length === 0) return { ok: undefined, text: 'NO CHECKS' };
    return { ok: true, text: 'PASS' };
  }

  const titles = {
    run: 'run',
    runs: 'runs',
    audit: 'audit',
    compare: 'compare',
    sweep: 'sweep',
    explore: 'explore',
    live: 'live',
  };
  document.title = `acksim ${titles[report.kind] || report.kind} report`;
  const head = el('header', {}, el('h1', {}, `acksim ${titles[report.kind] || report.kind} report`));
  const verdict = reportVerdict();
  if (verdict) head.append(badge(verdict.ok, verdict.text));
  app.append(head);
  if (report.interrupted === true)
    app.append(el('p', { class: 'note' }, 'Interrupted: the report holds only what finished before Ctrl-C.'));
  if (Array.isArray(report.scenarios)) {
    if (report.scenarios.length > 1)
      app.append(
        el(
          'nav',
          {},
          el(
            'ul',
            {},
            report.scenarios.map((s) => el('li', {}, el('a', { href: `#${sectionId(s.file)}` }, s.name))),
          ),
        ),
      );
    for (const scenario of report.scenarios) app.append(scenarioSection(scenario));
  } else if (report.kind === 'compare') compareView();
  else if (report.kind === 'sweep') sweepView();
  else if (report.kind === 'explore') exploreView();
  else if (report.kind === 'live') liveView();
  document.body.dataset.rendered = 'true';
})();
