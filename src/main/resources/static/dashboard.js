// Tideline dashboard: everything below arrives by server push (Server-Sent Events on /v1/stream).
(() => {
  const $ = (id) => document.getElementById(id);
  const MAX_ROWS = 40, MAX_ALERTS = 50;
  const history = [];
  const types = {};   // type -> { windowStart, count, mean }: from snapshots and from pushed per-type aggregates
  const number = (v, digits = 0) => v == null ? '–' : Number(v).toLocaleString(undefined, { maximumFractionDigits: digits });
  const time = (t) => t ? new Date(t).toLocaleTimeString() : '–';

  function setStatus(state, text) {
    const el = $('status');
    el.className = 'status ' + state;
    el.dataset.state = state;
    el.textContent = text;
  }

  function onSnapshot(s) {
    $('guarantee').textContent = s.guarantee;
    $('streams-state').textContent = s.streamsState;
    $('sink-lag').textContent = Object.entries(s.sinkLag).map(([k, v]) => `${k} ${v}`).join(' · ') || '–';
    $('breakers').innerHTML = Object.entries(s.breakers).map(([k, v]) =>
      `<span class="breaker ${v}" data-sink="${k}">${k} ${v.toLowerCase().replace('_', '-')}</span>`).join(' ');
    $('rate-events').textContent = number(s.eventsPerSecond);
    $('rate-stored').textContent = number(s.storedPerSecond);
    $('p99').textContent = number(s.readModelP99Ms, 1);
    $('total-accepted').textContent = number(s.accepted);
    $('total-duplicates').textContent = number(s.duplicates);
    $('total-dlq').textContent = number(s.deadLettered);
    for (const [type, t] of Object.entries(s.types)) {
      mergeType(type, t.windowStart, t.count, t.mean);
      types[type].guarantee = t.guarantee;
    }
    renderTypes();
    history.push(s.eventsPerSecond);
    if (history.length > 120) history.shift();
    drawSparkline();
  }

  // The newest window wins, whichever message brought it.
  function mergeType(type, windowStart, count, mean) {
    const known = types[type];
    const start = windowStart ? Date.parse(windowStart) : 0;
    if (!known || start > known.start || (start === known.start && count >= known.count)) {
      types[type] = { start, count, mean, guarantee: known && known.guarantee };
    }
  }

  function renderTypes() {
    $('types').innerHTML = Object.entries(types).map(([type, t]) =>
      `<tr data-type="${type}"><td>${type}</td><td class="count">${number(t.count)}</td><td>${number(t.mean, 2)}</td>` +
      `<td class="guarantee">${t.guarantee || '–'}</td></tr>`).join('');
  }

  function drawSparkline() {
    const c = $('sparkline'), g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    const max = Math.max(1, ...history);
    g.strokeStyle = '#38bdf8'; g.lineWidth = 2; g.beginPath();
    history.forEach((v, i) => {
      const x = (i / 119) * c.width, y = c.height - (v / max) * (c.height - 4) - 2;
      i ? g.lineTo(x, y) : g.moveTo(x, y);
    });
    g.stroke();
  }

  function onAggregates(list) {
    const body = $('aggregates');
    for (const a of list) {
      const id = `${a.scope}|${a.eventType}|${a.seriesKey}`;
      let row = body.querySelector(`tr[data-series="${CSS.escape(id)}"]`);
      if (!row) {
        row = document.createElement('tr');
        row.dataset.series = id;
      }
      row.innerHTML = `<td>${a.eventType}${a.scope === 'KEY' ? ' / ' + escapeHtml(a.seriesKey) : ' (all)'}</td>` +
        `<td>${time(a.windowStart)}</td><td class="count">${number(a.count)}</td><td>${number(a.sum, 2)}</td>` +
        `<td>${number(a.min, 2)}</td><td>${number(a.max, 2)}</td><td>${number(a.mean, 2)}</td>` +
        `<td class="guarantee">${a.guarantee}</td>`;
      row.classList.remove('fresh'); void row.offsetWidth; row.classList.add('fresh');
      body.prepend(row);
    }
    while (body.children.length > MAX_ROWS) body.lastElementChild.remove();
    list.filter((a) => a.scope === 'TYPE').forEach((a) => mergeType(a.eventType, a.windowStart, a.count, a.mean));
    renderTypes();
  }

  function onAlert(a) {
    const li = document.createElement('li');
    li.className = a.severity;
    li.dataset.alertId = a.alertId;
    li.innerHTML = `<time>${time(a.eventTime)}</time><b>${a.severity}</b> ${escapeHtml(a.message)}`;
    $('alerts').prepend(li);
    while ($('alerts').children.length > MAX_ALERTS) $('alerts').lastElementChild.remove();
  }

  // The declared metrics and rules (the definition file), each with its lane; metric rows show the newest window
  // pushed for any of the metric's group keys.
  function onDefinition(d) {
    $('definition-origin').textContent = d.origin;
    const rows = [];
    for (const m of d.metrics) {
      rows.push(`<tr data-metric="${escapeHtml(m.name)}" data-lane="${m.lane}"><td>${escapeHtml(m.name)}</td>` +
        `<td class="lane ${m.lane}">${m.lane}</td><td>${m.window.type} ${escapeHtml(m.window.size || m.window.gap)} of ` +
        `${escapeHtml(m.source.join(', '))}${m.groupBy ? ' by ' + escapeHtml(m.groupBy) : ''}</td>` +
        `<td class="key">–</td><td class="window">–</td><td class="count">–</td><td class="figures">` +
        `${m.lane === 'batch' ? 'computed from the history on request' : '–'}</td></tr>`);
    }
    for (const r of d.anomalies.concat(d.sequences)) {
      const what = r.detector ? `${r.detector} per ${r.key}` : `${r.first.type} ${r.kind === 'then' ? 'then' : 'not followed by'} ${r.second.type} within ${r.within}`;
      rows.push(`<tr data-rule="${escapeHtml(r.name)}" data-lane="${r.lane}"><td>${escapeHtml(r.name)}</td>` +
        `<td class="lane ${r.lane}">${r.lane}</td><td>${escapeHtml(what)}</td><td colspan="4">alerts below (${r.severity})</td></tr>`);
    }
    $('declared').innerHTML = rows.join('');
  }

  function onMetrics(list) {
    for (const m of list) {
      const row = $('declared').querySelector(`tr[data-metric="${CSS.escape(m.metric)}"]`);
      if (!row) continue;
      row.querySelector('.key').textContent = m.groupKey;
      row.querySelector('.window').textContent = `${time(m.windowStart)}–${time(m.windowEnd)}${m.final ? ' (final)' : ''}`;
      row.querySelector('.count').textContent = number(m.count);
      row.querySelector('.figures').textContent = Object.entries(m.values).filter(([k]) => k !== 'count')
        .map(([k, v]) => `${k} ${number(v, 2)}`).join(' · ') || '–';
      row.classList.remove('fresh'); void row.offsetWidth; row.classList.add('fresh');
    }
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  // Alerts from before the page opened: one read of the read model, then push only.
  fetch('/v1/alerts/recent?limit=20').then((r) => r.ok ? r.json() : []).then((list) => list.reverse().forEach(onAlert)).catch(() => {});

  fetch('/v1/definition').then((r) => r.ok ? r.json() : null).then((d) => d && onDefinition(d)).catch(() => {});

  const source = new EventSource('/v1/stream');
  source.addEventListener('hello', () => setStatus('live', 'live'));
  source.addEventListener('snapshot', (e) => onSnapshot(JSON.parse(e.data)));
  source.addEventListener('aggregates', (e) => onAggregates(JSON.parse(e.data)));
  source.addEventListener('alert', (e) => onAlert(JSON.parse(e.data)));
  source.addEventListener('metrics', (e) => onMetrics(JSON.parse(e.data)));
  source.onerror = () => setStatus('down', 'reconnecting…');
})();
