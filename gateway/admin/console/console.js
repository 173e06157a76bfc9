// hookgate web console: one classic script for app.html (no modules, no build step).
//
// The contract with the admin listener is in the /api JSON documented in README "Admin API"
// and the console spec: GET /api/session gives the CSRF token every POST carries; any 401
// means the session is gone and the page goes to /console/login.
//
// Under the console's CSP (script-src 'self', style-src 'self') nothing here uses inline
// handlers, eval or style attributes. Text from vendors and from the API (bodies, headers,
// event types, ids, errors, names) reaches the DOM only through textContent and
// setAttribute: innerHTML is never used.
'use strict';

(() => {
  // ---------------------------------------------------------------------------------------
  // DOM helpers

  const SVG_NS = 'http://www.w3.org/2000/svg';

  // An element with attributes (`class`, `data-*`, `aria-*`, anything setAttribute takes;
  // `text` sets textContent; functions under `on` become listeners) and children (nodes or
  // strings, which become text nodes; null and false are skipped).
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    applyAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svgEl(tag, attrs = {}) {
    const node = document.createElementNS(SVG_NS, tag);
    applyAttrs(node, attrs);
    return node;
  }

  function applyAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'on') for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }

  function append(node, children) {
    for (const child of [].concat(children)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'string' || typeof child === 'number'
        ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  const view = () => document.getElementById('view');

  function button(label, attrs = {}) {
    const cls = 'button ' + (attrs.class || '');
    return el('button', { ...attrs, type: 'button', class: cls.trim(), text: label });
  }

  // A table with a header row; a heading ending in '#' is a numeric, right-aligned column.
  function table(headings, body, attrs = {}) {
    const head = el('thead', {}, el('tr', {}, headings.map((h) =>
      el('th', { class: h.endsWith('#') ? 'num' : null, text: h.replace(/#$/, '') }))));
    return el('table', { class: 'data', ...attrs }, [head, body]);
  }

  function notice(message, kind = 'error') {
    return el('p', { class: 'notice notice-' + kind, role: 'alert', text: message });
  }

  // ---------------------------------------------------------------------------------------
  // Formatting

  const pad = (n, width = 2) => String(n).padStart(width, '0');

  // "2026-12-07 13:53:14" (UTC, as the API's times are); the full RFC 3339 text in a title.
  function formatTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
      `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }

  function timeCell(iso) {
    return el('td', { class: 'cell-mono', title: iso || null, text: formatTime(iso) });
  }

  function formatSeconds(s) {
    if (s === null || s === undefined) return '—';
    if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min`;
    if (s < 86400) return `${(s / 3600).toFixed(1)} h`;
    return `${(s / 86400).toFixed(1)} d`;
  }

  const formatPercent = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(r === 1 ? 0 : 1)} %`);
  const formatMs = (ms) => (ms === null || ms === undefined ? '—' : `${Math.round(ms)} ms`);
  const formatNumber = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US'));

  function formatBytes(n) {
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  }

  // A delivery still pending after a failed attempt reads as "failed" (it will be retried);
  // every other state is shown as the API names it.
  function deliveryLabel(d) {
    if (d.state === 'pending' && d.attempts > 0) return 'failed';
    return d.state;
  }

  function badge(label, extra) {
    const node = el('span', { class: 'badge badge-' + label.replace(/\s+/g, '-') });
    if (extra) append(node, el('span', { class: 'badge-dest', text: extra }));
    append(node, label);
    return node;
  }

  // ---------------------------------------------------------------------------------------
  // API: session, CSRF, one place that turns a 401 into the login page

  let csrfToken = null;

  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.error)) || `HTTP ${status}`);
      this.status = status;
      this.body = body;
    }
  }

  // Once: several requests answering 401 together must not start navigations that abort
  // each other.
  let leaving = false;
  function toLogin() {
    if (leaving) return;
    leaving = true;
    window.location.assign('/console/login');
  }

  async function request(method, url, signal) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, signal };
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/json';
      init.headers['X-CSRF-Token'] = csrfToken || '';
      init.body = '{}';
    }
    const response = await fetch(url, init);
    if (response.status === 401) {
      toLogin();
      throw new ApiError(401, { error: 'session_expired' });
    }
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  const getJSON = (url, signal) => request('GET', url, signal);
  const postJSON = (url) => request('POST', url);

  async function loadSession() {
    const session = await getJSON('/api/session');
    csrfToken = session.csrf_token;
    return session;
  }

  async function logout() {
    try {
      await fetch('/console/logout', {
        method: 'POST', credentials: 'same-origin', redirect: 'manual',
        headers: { 'X-CSRF-Token': csrfToken || '' },
      });
    } finally {
      toLogin();
    }
  }

  // A query string from an object, leaving out empty values.
  function queryString(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    return s ? '?' + s : '';
  }

  const eventPath = (id) => '/api/events/' + encodeURIComponent(id);
  const deliveryPath = (id) => '/api/deliveries/' + encodeURIComponent(id);
  const destinationPath = (name) => '/api/destinations/' + encodeURIComponent(name);

  // ---------------------------------------------------------------------------------------
  // Router: hash routes; each view gets a scope whose timers and requests end when it does

  class Scope {
    constructor() {
      this.controller = new AbortController();
      this.timers = new Set();
    }
    get signal() { return this.controller.signal; }
    get alive() { return !this.controller.signal.aborted; }
    every(ms, fn) {
      const id = setInterval(() => { if (this.alive) fn(); }, ms);
      this.timers.add(id);
    }
    later(ms, fn) {
      const id = setTimeout(() => { this.timers.delete(id); if (this.alive) fn(); }, ms);
      this.timers.add(id);
    }
    end() {
      this.controller.abort();
      for (const id of this.timers) { clearInterval(id); clearTimeout(id); }
      this.timers.clear();
    }
  }

  let currentScope = null;

  function parseHash() {
    const hash = window.location.hash.replace(/^#\/?/, '');
    const [path, query = ''] = hash.split('?');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    return { parts, params: new URLSearchParams(query) };
  }

  function route() {
    if (currentScope) currentScope.end();
    const scope = new Scope();
    currentScope = scope;
    const { parts, params } = parseHash();
    const page = parts[0] || 'events';
    for (const link of document.querySelectorAll('[data-nav]')) {
      link.classList.toggle('active', link.getAttribute('data-nav') === page);
    }
    const root = clear(view());
    if (page === 'events' && parts[1]) showEventDetail(root, scope, parts[1]);
    else if (page === 'destinations') showDestinations(root, scope);
    else if (page === 'sources') showSources(root, scope);
    else showEvents(root, scope, params);
  }

  // To a route; the same one again renders it afresh (hashchange would not fire).
  function go(hash) {
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  }

  // Runs `fn`, showing an error in `where` instead of throwing; a 401 already left the page.
  async function guarded(where, fn) {
    try {
      return await fn();
    } catch (error) {
      if (error.name === 'AbortError' || (error instanceof ApiError && error.status === 401)) return undefined;
      if (where) {
        clear(where);
        append(where, notice(actionError(error)));
      }
      return undefined;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Events list: filters, table, keyset paging, live tail, bulk actions

  const FILTER_FIELDS = [
    { key: 'source', label: 'Source', placeholder: 'any' },
    { key: 'status', label: 'Status', options: ['all', 'pending', 'failed', 'dead', 'delivered', 'skipped'] },
    { key: 'destination', label: 'Destination', placeholder: 'any' },
    { key: 'event_type', label: 'Event type', placeholder: 'invoice.*' },
    { key: 'since', label: 'Since', placeholder: '6h or RFC 3339' },
    { key: 'event_id', label: 'Event id', placeholder: 'evt_… or the vendor\'s id', wide: true },
  ];

  function readFilter(params) {
    const filter = {};
    for (const f of FILTER_FIELDS) {
      const v = (params.get(f.key) || '').trim();
      if (v && !(f.key === 'status' && v === 'all')) filter[f.key] = v;
    }
    return filter;
  }

  function filterForm(filter) {
    const controls = {};
    const fields = FILTER_FIELDS.map((f) => {
      const id = 'filter-' + f.key;
      let control;
      if (f.options) {
        control = el('select', { id, name: f.key, 'data-testid': 'filter-' + f.key },
          f.options.map((o) => el('option', { value: o, text: o, selected: (filter[f.key] || 'all') === o })));
      } else {
        control = el('input', { id, name: f.key, type: 'text', placeholder: f.placeholder,
          class: f.wide ? 'wide' : null, 'data-testid': 'filter-' + f.key, spellcheck: 'false' });
        control.value = filter[f.key] || '';
      }
      controls[f.key] = control;
      return el('div', { class: 'field' }, [el('label', { for: id, text: f.label }), control]);
    });
    const form = el('form', { class: 'filters', 'data-testid': 'filter-form' }, [
      ...fields,
      el('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'filter-apply', text: 'Apply' }),
      button('Clear', { class: 'button-quiet', 'data-testid': 'filter-clear', on: { click: () => go('#/events') } }),
    ]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const next = {};
      for (const [key, control] of Object.entries(controls)) next[key] = control.value.trim();
      if (next.status === 'all') next.status = '';
      go('#/events' + queryString(next));
    });
    return form;
  }

  function eventRow(event) {
    const badges = el('td', {}, (event.deliveries || []).length
      ? event.deliveries.map((d) => badge(deliveryLabel(d), d.destination + ' '))
      : el('span', { class: 'muted', text: 'no route' }));
    const row = el('tr', { class: 'clickable', 'data-testid': 'event-row', 'data-event-id': event.id, tabindex: '0' }, [
      timeCell(event.received_at),
      el('td', { text: event.source }),
      el('td', { class: 'cell-mono cell-clip', text: event.event_type || '—', title: event.event_type || null }),
      el('td', { class: 'cell-mono cell-clip', text: event.vendor_event_id || '—', title: event.vendor_event_id || null }),
      badges,
      el('td', { class: 'cell-mono muted', text: event.id }),
    ]);
    const open = () => { window.location.hash = '#/events/' + encodeURIComponent(event.id); };
    row.addEventListener('click', open);
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    return row;
  }

  // The table body and what it shows, by event id, so a tail answer replaces rows in place.
  class EventTable {
    constructor() {
      this.body = el('tbody');
      this.rows = new Map();
      this.json = new Map();
      this.empty = el('tr', {}, el('td', { class: 'empty', colspan: '6', text: 'No events match.' }));
      this.body.appendChild(this.empty);
    }
    // Replaces a known row when its JSON changed; otherwise adds it on top or at the bottom.
    upsert(event, where) {
      const text = JSON.stringify(event);
      const existing = this.rows.get(event.id);
      if (existing) {
        if (this.json.get(event.id) === text) return;
        const row = eventRow(event);
        existing.replaceWith(row);
        this.rows.set(event.id, row);
        this.json.set(event.id, text);
        return;
      }
      const row = eventRow(event);
      if (where === 'top') {
        row.classList.add('fresh');
        this.body.insertBefore(row, this.body.firstChild);
      } else {
        this.body.appendChild(row);
      }
      this.rows.set(event.id, row);
      this.json.set(event.id, text);
      this.empty.remove();
    }
    has(id) { return this.rows.has(id); }
    // Newest-first lists go on top oldest first, so the newest ends up first.
    addNewest(events) {
      for (const event of [...events].reverse()) this.upsert(event, 'top');
    }
  }

  function showEvents(root, scope, params) {
    const filter = readFilter(params);
    const filtered = Object.keys(filter).length > 0;
    const live = el('span', { class: 'live', 'data-testid': 'live-indicator', text: 'Connecting' });
    const status = el('div');
    const events = new EventTable();
    const loadMore = button('Load more', { 'data-testid': 'load-more' });
    const foot = el('div', { class: 'table-foot', hidden: true }, loadMore);
    const bulk = bulkBox(filter, scope, () => refreshFirstPage());

    append(root, [
      el('div', { class: 'page-head' }, [el('h1', { text: 'Events' }), el('span', { class: 'spacer' }), live]),
      el('section', { class: 'panel' }, filterForm(filter)),
      bulk,
      status,
      el('section', { class: 'panel' }, [
        table(['Received', 'Source', 'Type', 'Vendor id', 'Deliveries', 'Event id'], events.body, { 'data-testid': 'event-table' }),
        foot,
      ]),
    ]);

    let nextBefore = null;
    const listUrl = (before) => '/api/events' + queryString({ ...filter, before, limit: 50 });

    async function loadPage() {
      const page = await getJSON(listUrl(nextBefore), scope.signal);
      if (!scope.alive) return;
      for (const event of page.events) events.upsert(event, 'bottom');
      nextBefore = page.next_before;
      foot.hidden = !nextBefore;
    }

    // With a filter the server decides what matches: new tail events bring its first page.
    async function refreshFirstPage() {
      const page = await getJSON(listUrl(null), scope.signal);
      if (scope.alive) events.addNewest(page.events);
    }

    loadMore.addEventListener('click', () => {
      loadMore.disabled = true;
      guarded(status, loadPage).finally(() => { loadMore.disabled = false; });
    });

    (async () => {
      // The cursor first, so nothing that arrives while the first page loads is missed. The
      // list shows even when the tail cannot start; runTail then keeps trying.
      let cursor = null;
      try {
        cursor = (await getJSON('/api/tail', scope.signal)).cursor;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return;
      }
      await guarded(status, loadPage);
      runTail(scope, cursor, live, (changed) => {
        const fresh = [];
        for (const event of changed) {
          if (events.has(event.id)) events.upsert(event);
          else fresh.push(event);
        }
        if (fresh.length === 0) return;
        if (filtered) guarded(status, refreshFirstPage);
        else events.addNewest(fresh);
      });
    })();
  }

  // The live tail: long polls GET /api/tail until the scope ends; after an error it waits 2 s.
  // Without a cursor (the first call failed) it asks for one, which answers at once.
  async function runTail(scope, cursor, indicator, onEvents) {
    const setLive = (on) => {
      indicator.classList.toggle('on', on);
      indicator.textContent = on ? 'Live' : 'Reconnecting';
    };
    setLive(cursor !== null);
    while (scope.alive) {
      try {
        const query = cursor === null ? '' : queryString({ after: cursor, wait: 25 });
        const answer = await getJSON('/api/tail' + query, scope.signal);
        if (!scope.alive) return;
        setLive(true);
        cursor = answer.cursor;
        if (answer.events && answer.events.length) onEvents(answer.events);
      } catch (error) {
        if (!scope.alive || (error instanceof ApiError && error.status === 401)) return;
        // A cursor the server refuses (400 bad_cursor) is not retried as is: start afresh.
        if (error instanceof ApiError && error.status === 400) cursor = null;
        setLive(false);
        await new Promise((resolve) => scope.later(2000, resolve));
      }
    }
  }

  // Bulk retry / cancel over the current filter: dry run, confirm dialog, the real call.
  function bulkBox(filter, scope, afterwards) {
    const result = el('p', { class: 'notice notice-ok', 'data-testid': 'bulk-result', role: 'status', hidden: true });
    const retry = button('Retry matching', { 'data-testid': 'bulk-retry' });
    const cancel = button('Cancel matching', { class: 'button-danger', 'data-testid': 'bulk-cancel' });
    const describe = Object.keys(filter).length
      ? Object.entries(filter).map(([k, v]) => `${k}=${v}`).join(', ')
      : 'every event (no filter)';

    async function run(action) {
      retry.disabled = cancel.disabled = true;
      result.hidden = true;
      try {
        const url = '/api/deliveries/' + action;
        const dry = await postJSON(url + queryString({ ...filter, dry_run: 'true' }));
        if (!scope.alive) return;
        const confirmed = await confirmDialog(action, dry.matched, describe);
        if (!confirmed || !scope.alive) return;
        const done = await postJSON(url + queryString(filter));
        const changed = action === 'retry' ? done.rescheduled : done.cancelled;
        showResult(`${action === 'retry' ? 'Rescheduled' : 'Cancelled'} ${formatNumber(changed)} of ` +
          `${formatNumber(done.matched)} matching deliveries.`, 'ok');
        await afterwards();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return;
        if (error instanceof ApiError && error.body && error.body.error === 'too_many') {
          showResult(`${formatNumber(error.body.matched)} deliveries match: narrow the filter ` +
            '(at most 100,000 per call).', 'error');
        } else {
          showResult(`Bulk ${action} failed: ${error.message}`, 'error');
        }
      } finally {
        retry.disabled = cancel.disabled = false;
      }
    }

    function showResult(message, kind) {
      result.textContent = message;
      result.className = 'notice notice-' + kind;
      result.hidden = false;
    }

    retry.addEventListener('click', () => run('retry'));
    cancel.addEventListener('click', () => run('cancel'));
    return el('section', { class: 'panel' }, [
      el('div', { class: 'panel-head' }, [
        el('h2', { text: 'Bulk actions' }),
        el('span', { class: 'muted', text: 'Deliveries matching: ' + describe }),
        el('span', { class: 'spacer' }),
        retry, cancel,
      ]),
      result,
    ]);
  }

  // The page's own confirm dialog; resolves true on yes, false on no / Escape / outside click.
  function confirmDialog(action, count, describe) {
    return new Promise((resolve) => {
      const yes = button(action === 'retry' ? 'Retry them' : 'Cancel them',
        { class: 'button-primary', 'data-testid': 'bulk-confirm-yes' });
      const no = button('Keep as is', { 'data-testid': 'bulk-confirm-no' });
      const dialog = el('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'data-testid': 'bulk-confirm' }, [
        el('h2', { text: action === 'retry' ? 'Retry deliveries' : 'Cancel deliveries' }),
        el('p', {}, [
          el('span', { class: 'count', 'data-testid': 'bulk-count', text: String(count) }),
          ` deliver${count === 1 ? 'y matches' : 'ies match'} ${describe}. ` +
            (action === 'retry' ? 'Each is made due now with a fresh schedule.' : 'Pending ones will not be sent.'),
        ]),
        el('div', { class: 'dialog-buttons' }, [no, yes]),
      ]);
      const overlay = el('div', { class: 'overlay' }, dialog);
      const close = (answer) => {
        overlay.remove();
        document.removeEventListener('keydown', onKey);
        resolve(answer);
      };
      const onKey = (e) => { if (e.key === 'Escape') close(false); };
      yes.addEventListener('click', () => close(true));
      no.addEventListener('click', () => close(false));
      overlay.addEventListener('click', (e) => { if (e.target === overlay) close(false); });
      document.addEventListener('keydown', onKey);
      document.body.appendChild(overlay);
      (count > 0 ? yes : no).focus();
    });
  }

  // ---------------------------------------------------------------------------------------
  // Event detail: summary, headers, body, deliveries with actions, attempts

  function showEventDetail(root, scope, id) {
    const section = el('section', { 'data-testid': 'event-detail' });
    const message = el('div');
    append(root, [el('a', { class: 'back', href: '#/events', text: '← Events' }), message, section]);

    let shown = null;
    async function refresh() {
      const event = await getJSON(eventPath(id), scope.signal);
      if (!scope.alive) return;
      const text = JSON.stringify(event);
      if (text !== shown) {
        shown = text;
        renderEventDetail(section, event, act);
      }
    }

    // An action, then the event again, so its new state shows at once.
    async function act(path, label) {
      clear(message);
      try {
        await postJSON(path);
        append(message, notice(label, 'ok'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return;
        append(message, notice(actionError(error)));
      }
      await guarded(message, refresh);
    }

    guarded(message, refresh).then(() => {
      // While a delivery is pending or in flight its state changes without a click.
      scope.every(2000, () => {
        const busy = shown && (JSON.parse(shown).deliveries || []).some((d) => d.state === 'pending' || d.state === 'inflight');
        if (busy) guarded(message, refresh);
      });
    });
  }

  function actionError(error) {
    const body = error.body || {};
    if (body.error === 'unknown_event') return 'No event with this id.';
    if (body.error === 'in_flight') return 'An attempt is running now; retry once it has finished.';
    if (body.error === 'not_cancellable') return `Not cancellable: the delivery is ${body.state}.`;
    return error.message;
  }

  function renderEventDetail(section, event, act) {
    clear(section);
    const retryAll = button('Retry all deliveries', { class: 'button-primary', 'data-testid': 'retry-all' });
    retryAll.addEventListener('click', () => act(eventPath(event.id) + '/retry', 'Every delivery of the event is due now.'));
    append(section, [
      el('div', { class: 'page-head' }, [
        el('h1', { class: 'mono', text: event.id }),
        el('span', { class: 'spacer' }),
        retryAll,
      ]),
      el('section', { class: 'panel' }, summaryList(event)),
      el('section', { class: 'panel' }, [
        el('div', { class: 'panel-head' }, el('h2', { text: 'Deliveries' })),
        deliveriesTable(event, act),
      ]),
      el('section', { class: 'panel' }, [
        el('div', { class: 'panel-head' }, el('h2', { text: 'Attempts' })),
        attemptsTable(event),
      ]),
      el('section', { class: 'panel' }, [
        el('div', { class: 'panel-head' }, [
          el('h2', { text: 'Body' }),
          el('span', { class: 'muted', text: formatBytes(event.body_bytes || 0) }),
        ]),
        bodyBlock(event),
      ]),
      el('section', { class: 'panel' }, [
        el('div', { class: 'panel-head' }, el('h2', { text: 'Headers' })),
        headersTable(event.headers),
      ]),
    ]);
  }

  function summaryList(event) {
    const target = (event.path || '') + (event.query ? '?' + event.query : '');
    const items = [
      ['Source', event.source],
      ['Event type', event.event_type || '—'],
      ['Vendor event id', event.vendor_event_id || '—'],
      ['Received', formatTime(event.received_at) + ' UTC'],
      ['Request', `${event.method || ''} ${target}`.trim() || '—'],
      ['Body', formatBytes(event.body_bytes || 0)],
    ];
    return el('dl', { class: 'summary', 'data-testid': 'event-summary' }, items.flatMap(([k, v]) => [
      el('dt', { text: k }),
      el('dd', { class: k === 'Source' || k === 'Received' ? null : 'mono', text: v }),
    ]));
  }

  // JSON pretty-printed, other UTF-8 as is, a binary body as its base64 text.
  function bodyBlock(event) {
    const pre = el('pre', { class: 'body', 'data-testid': 'event-body' });
    if (event.body === null || event.body === undefined) {
      if (event.body_base64 !== undefined && event.body_base64 !== null) {
        pre.textContent = `(binary, ${event.body_bytes} bytes)\n${event.body_base64}`;
      } else {
        pre.textContent = '(no body)';
      }
      return pre;
    }
    try {
      pre.textContent = JSON.stringify(JSON.parse(event.body), null, 2);
    } catch {
      pre.textContent = event.body;
    }
    return pre;
  }

  // "Name: value\r\n" lines; the server already replaced secrets with ***.
  function headersTable(headers) {
    const body = el('tbody');
    for (const line of String(headers || '').split(/\r?\n/)) {
      if (!line) continue;
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).trim();
      body.appendChild(el('tr', { 'data-testid': 'header-row' }, [el('td', { text: name }), el('td', { text: value })]));
    }
    if (!body.firstChild) body.appendChild(el('tr', {}, el('td', { class: 'empty', colspan: '2', text: 'No headers.' })));
    return el('table', { class: 'data headers', 'data-testid': 'event-headers' }, body);
  }

  function deliveriesTable(event, act) {
    const body = el('tbody');
    for (const d of event.deliveries || []) {
      const retry = button('Retry', { class: 'button-small', 'data-testid': 'retry' });
      const cancel = button('Cancel', { class: 'button-small button-danger', 'data-testid': 'cancel',
        disabled: !(d.state === 'pending' || d.state === 'inflight') });
      retry.addEventListener('click', () => act(deliveryPath(d.id) + '/retry', `Delivery ${d.id} is due now.`));
      cancel.addEventListener('click', () => act(deliveryPath(d.id) + '/cancel', `Delivery ${d.id} is cancelled.`));
      body.appendChild(el('tr', { 'data-testid': 'delivery-row', 'data-delivery-id': String(d.id), 'data-state': d.state }, [
        el('td', { class: 'cell-mono', text: String(d.id) }),
        el('td', { text: d.destination }),
        el('td', { 'data-testid': 'delivery-state' }, badge(deliveryLabel(d))),
        el('td', { class: 'num', text: String(d.attempts) }),
        timeCell(d.next_attempt_at),
        el('td', { class: 'cell-mono', text: d.last_status === null || d.last_status === undefined ? '—' : String(d.last_status) }),
        el('td', { class: 'cell-wrap', text: d.last_error || '' }),
        el('td', { class: 'cell-actions' }, [retry, cancel]),
      ]));
    }
    if (!body.firstChild) {
      body.appendChild(el('tr', {}, el('td', { class: 'empty', colspan: '8', text: 'No route sent this event anywhere.' })));
    }
    return table(['Id', 'Destination', 'State', 'Attempts#', 'Next attempt', 'Last status', 'Last error', ''], body,
      { 'data-testid': 'delivery-table' });
  }

  function attemptsTable(event) {
    const body = el('tbody');
    for (const a of event.attempts || []) {
      body.appendChild(el('tr', { 'data-testid': 'attempt-row', 'data-delivery-id': String(a.delivery_id) }, [
        timeCell(a.started_at),
        el('td', { class: 'cell-mono', text: String(a.delivery_id) }),
        el('td', { class: 'num', text: formatMs(a.duration_ms) }),
        el('td', { class: 'cell-mono', text: a.status === null || a.status === undefined ? '—' : String(a.status) }),
        el('td', { class: 'cell-wrap', text: a.error || '' }),
        el('td', { class: 'cell-mono cell-clip', text: a.response_excerpt || '', title: a.response_excerpt || null }),
      ]));
    }
    if (!body.firstChild) body.appendChild(el('tr', {}, el('td', { class: 'empty', colspan: '6', text: 'No attempts yet.' })));
    return table(['Started', 'Delivery', 'Duration#', 'Status', 'Error', 'Response'], body);
  }

  // ---------------------------------------------------------------------------------------
  // Destinations: state, backlog, last hour, sparkline, pause / resume

  function destinationState(d) {
    if (d.disabled) return 'disabled';
    if (d.paused) return 'paused';
    if (d.circuit_open) return 'circuit open';
    return 'delivering';
  }

  function destinationRow(d, act) {
    const hour = d.last_hour || {};
    const stopped = d.paused || d.disabled;
    const toggle = stopped
      ? button('Resume', { class: 'button-small', 'data-testid': 'resume' })
      : button('Pause', { class: 'button-small', 'data-testid': 'pause' });
    toggle.addEventListener('click', () => act(destinationPath(d.name) + (stopped ? '/resume' : '/pause')));
    const series = d.series || { delivered: [], failed: [] };
    return el('tr', { 'data-testid': 'destination-row', 'data-destination': d.name, 'data-state': destinationState(d) }, [
      el('td', {}, [el('div', { class: 'mono', text: d.name }), el('div', { class: 'muted', text: d.url_host || '' })]),
      el('td', { 'data-testid': 'destination-state' }, badge(destinationState(d))),
      el('td', { class: 'num', 'data-testid': 'queue-depth', text: formatNumber(d.queue_depth) }),
      el('td', { class: 'num', text: formatSeconds(d.oldest_pending_age_s) }),
      el('td', { class: 'num', 'data-testid': 'in-flight', text: formatNumber(d.in_flight) }),
      el('td', { class: 'num', text: formatPercent(hour.success_rate) }),
      el('td', { class: 'num', text: `${formatMs(hour.latency_ms_avg)} / ${formatMs(hour.latency_ms_p95)}` }),
      el('td', {}, sparkline(series.delivered || [], series.failed || [],
        `last hour: ${formatNumber(hour.delivered)} delivered, ${formatNumber(hour.failed)} failed`)),
      el('td', { class: 'cell-actions' }, toggle),
    ]);
  }

  function showDestinations(root, scope) {
    const body = el('tbody');
    const message = el('div');
    append(root, [
      el('div', { class: 'page-head' }, [el('h1', { text: 'Destinations' })]),
      message,
      el('section', { class: 'panel' }, table(
        ['Destination', 'State', 'Queue#', 'Oldest pending#', 'In flight#', 'Success (1 h)#', 'Latency avg / p95#', 'Per minute', ''],
        body, { 'data-testid': 'destination-table' })),
    ]);

    let shown = null;
    async function refresh() {
      const answer = await getJSON('/api/destinations', scope.signal);
      if (!scope.alive) return;
      const text = JSON.stringify(answer);
      if (text === shown) return;
      shown = text;
      clear(body);
      for (const d of answer.destinations) body.appendChild(destinationRow(d, act));
      if (!body.firstChild) body.appendChild(el('tr', {}, el('td', { class: 'empty', colspan: '9', text: 'No destinations configured.' })));
    }

    async function act(path) {
      clear(message);
      try {
        await postJSON(path);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return;
        append(message, notice(error.message));
      }
      await guarded(message, refresh);
    }

    guarded(message, refresh);
    scope.every(5000, () => guarded(message, refresh));
  }

  // ---------------------------------------------------------------------------------------
  // Sources: received, accepted, duplicates, rejected by reason, bars per minute

  function rejectedReasons(byReason) {
    const entries = Object.entries(byReason || {}).filter(([, n]) => n > 0);
    if (!entries.length) return '';
    return entries.map(([reason, n]) => `${reason.replace(/_/g, ' ')}: ${n}`).join(', ');
  }

  function sourceRow(s) {
    const hour = s.last_hour || {};
    const series = s.series || { accepted: [], rejected: [] };
    return el('tr', { 'data-testid': 'source-row', 'data-source': s.name }, [
      el('td', {}, [el('div', { class: 'mono', text: s.name }), el('div', { class: 'muted', text: s.provider || '' })]),
      el('td', { class: 'num', text: formatNumber(hour.received) }),
      el('td', { class: 'num', 'data-testid': 'accepted', text: formatNumber(hour.accepted) }),
      el('td', { class: 'num', text: formatNumber(hour.duplicates) }),
      el('td', { class: 'num', 'data-testid': 'rejected', text: formatNumber(hour.rejected) }),
      el('td', { class: 'cell-wrap muted', 'data-testid': 'rejected-reasons', text: rejectedReasons(hour.rejected_by_reason) }),
      el('td', {}, barChart(series.accepted || [], series.rejected || [],
        `last hour: ${formatNumber(hour.accepted)} accepted, ${formatNumber(hour.rejected)} rejected`)),
    ]);
  }

  function showSources(root, scope) {
    const body = el('tbody');
    const message = el('div');
    append(root, [
      el('div', { class: 'page-head' }, [
        el('h1', { text: 'Sources' }),
        el('span', { class: 'spacer' }),
        el('span', { class: 'muted', text: 'This node, last hour' }),
      ]),
      message,
      el('section', { class: 'panel' }, table(
        ['Source', 'Received#', 'Accepted#', 'Duplicates#', 'Rejected#', 'Reasons', 'Per minute'],
        body, { 'data-testid': 'source-table' })),
    ]);

    let shown = null;
    async function refresh() {
      const answer = await getJSON('/api/sources', scope.signal);
      if (!scope.alive) return;
      const text = JSON.stringify(answer);
      if (text === shown) return;
      shown = text;
      clear(body);
      for (const s of answer.sources) body.appendChild(sourceRow(s));
      if (!body.firstChild) body.appendChild(el('tr', {}, el('td', { class: 'empty', colspan: '7', text: 'No sources configured.' })));
    }

    guarded(message, refresh);
    scope.every(5000, () => guarded(message, refresh));
  }

  // ---------------------------------------------------------------------------------------
  // Charts: SVG by hand (createElementNS + setAttribute), no library

  const CHART_W = 150;
  const CHART_H = 30;

  function chartFrame(label) {
    const svg = svgEl('svg', { class: 'chart', width: CHART_W, height: CHART_H,
      viewBox: `0 0 ${CHART_W} ${CHART_H}`, role: 'img', 'aria-label': label });
    const title = svgEl('title');
    title.textContent = label;
    svg.appendChild(title);
    svg.appendChild(svgEl('line', { class: 'baseline', x1: 0, y1: CHART_H - 0.5, x2: CHART_W, y2: CHART_H - 0.5 }));
    return svg;
  }

  const seriesMax = (...series) => Math.max(1, ...series.flat().map(Number).filter(Number.isFinite));

  // Delivered (green, shaded) and failed (red) per minute on one scale, oldest left. The
  // failed line is left out while it is all zeros, so a healthy destination shows no red.
  function sparkline(ok, bad, label) {
    const svg = chartFrame(label);
    const n = Math.max(ok.length, bad.length, 2);
    const max = seriesMax(ok, bad);
    const xy = (v, i) => [(i / (n - 1)) * (CHART_W - 2) + 1, CHART_H - 2 - (Number(v) / max) * (CHART_H - 4)];
    const points = (values) => values.map((v, i) => xy(v, i).map((c) => c.toFixed(1)).join(',')).join(' ');
    if (ok.length) {
      const [x0] = xy(0, 0);
      const [x1] = xy(0, ok.length - 1);
      const floor = (CHART_H - 2).toFixed(1);
      svg.appendChild(svgEl('polygon', { class: 'area-ok', points: `${x0.toFixed(1)},${floor} ${points(ok)} ${x1.toFixed(1)},${floor}` }));
    }
    if (bad.some((v) => Number(v) > 0)) svg.appendChild(svgEl('polyline', { class: 'line-bad', points: points(bad) }));
    if (ok.length) svg.appendChild(svgEl('polyline', { class: 'line-ok', points: points(ok) }));
    return svg;
  }

  // One stacked bar per minute: accepted below, rejected on top.
  function barChart(ok, bad, label) {
    const svg = chartFrame(label);
    const n = Math.max(ok.length, bad.length, 1);
    const max = seriesMax(ok.map((v, i) => Number(v) + Number(bad[i] || 0)));
    const slot = CHART_W / n;
    const width = Math.max(1, slot - 0.6);
    const scale = (CHART_H - 2) / max;
    for (let i = 0; i < n; i++) {
      const a = Number(ok[i] || 0) * scale;
      const r = Number(bad[i] || 0) * scale;
      const x = (i * slot).toFixed(2);
      if (a > 0) svg.appendChild(svgEl('rect', { class: 'bar-ok', x, y: (CHART_H - 1 - a).toFixed(2), width, height: a.toFixed(2) }));
      if (r > 0) svg.appendChild(svgEl('rect', { class: 'bar-bad', x, y: (CHART_H - 1 - a - r).toFixed(2), width, height: r.toFixed(2) }));
    }
    return svg;
  }

  // ---------------------------------------------------------------------------------------
  // Start: the session (and its CSRF token) first, then the route

  async function start() {
    document.getElementById('logout').addEventListener('click', logout);
    try {
      await loadSession();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        append(clear(view()), notice(`Cannot load the session: ${error.message}`));
      }
      return;
    }
    window.addEventListener('hashchange', route);
    route();
  }

  start();
})();
