// pcikit agent web page: read-only views of the agent's /v1 API, kept current by the
// Server-Sent Events stream /v1/events/stream.
//
// Everything shown comes from the host (device names from pci.ids, drivers and holders from
// sysfs and /proc): it is untrusted text. It only ever reaches the page as text nodes
// (textContent, createTextNode) or attribute values set through the DOM, never through an HTML
// parser (no markup setters anywhere in this file; AgentWebPageTest checks). The agent serves
// the page with Content-Security-Policy default-src 'self'.
'use strict';

(function () {
  // ---------------------------------------------------------------- small DOM helpers

  /** An element with attributes (set through the DOM) and children (strings become text). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
    }
    return e;
  }

  function $(id) {
    return document.getElementById(id);
  }

  function dash(v) {
    return v === null || v === undefined || v === '' ? '–' : String(v);
  }

  function badge(verdict) {
    const v = String(verdict || 'unknown');
    return el('span', { class: 'badge v-' + v.replace(/[^a-z-]/g, '') }, v);
  }

  function showError(id, message) {
    const p = $(id);
    if (!p) return;
    p.textContent = message || '';
    p.hidden = !message;
  }

  // ---------------------------------------------------------------- fetching

  // The agent's TCP listener wants a bearer token (the Unix socket does not): the page takes
  // it from the #token=... fragment (never sent to a server, removed from the address bar at
  // once) or from the token form, and keeps it for this tab only (sessionStorage).
  const TOKEN_KEY = 'pcikit-agent-token';
  let token = null;

  function loadToken() {
    const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    if (m) {
      saveToken(decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    } else {
      try {
        token = sessionStorage.getItem(TOKEN_KEY);
      } catch (e) {
        token = null;
      }
    }
  }

  function saveToken(t) {
    token = t || null;
    try {
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      // storage refused (private mode): the token lives until the page is closed
    }
  }

  function authHeaders(extra) {
    const h = Object.assign({}, extra);
    if (token) h.Authorization = 'Bearer ' + token;
    return h;
  }

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** GET from the API; rejects with a one-line message (the RFC 9457 detail if any). */
  async function get(path, accept) {
    const res = await fetch(path, { cache: 'no-store', headers: authHeaders({ Accept: accept }) });
    if (!res.ok) {
      let detail = null;
      if ((res.headers.get('Content-Type') || '').includes('json')) {
        const body = await res.json().catch(() => null);
        detail = body && (body.detail || body.title);
      }
      if (res.status === 401) askForToken();
      throw new HttpError(res.status, 'HTTP ' + res.status + (detail ? ': ' + detail : ''));
    }
    return res;
  }

  async function getJson(path, schema) {
    const body = await (await get(path, 'application/json')).json();
    if (!body || body.schema !== schema) {
      throw new Error('expected a ' + schema + ' document');
    }
    return body;
  }

  function askForToken() {
    $('token-form').hidden = false;
  }

  function setupTokenForm() {
    const form = $('token-form');
    form.hidden = true; // shown when the agent answers 401 (askForToken)
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      saveToken($('token').value.trim());
      $('token').value = '';
      reconnectNow();
      invalidate(ALL);
    });
  }

  // What each resource is: where it comes from, its schema and how it is drawn.
  const resources = {
    devices: { path: 'v1/devices', schema: 'pcikit/inventory/v1', render: renderDevices },
    groups: { path: 'v1/groups', schema: 'pcikit/groups/v1', render: renderGroups },
    check: { path: 'v1/check', schema: 'pcikit/check/v1', render: renderCheck },
    sriov: { path: 'v1/sriov', schema: 'pcikit/sriov-status/v1', render: renderSriov },
    vfio: { path: 'v1/vfio', schema: 'pcikit/vfio-status/v1', render: renderVfio },
  };
  const state = { devices: null, groups: null, check: null, sriov: null, vfio: null };
  const ALL = ['devices', 'groups', 'check', 'sriov', 'vfio', 'picture'];

  // Refreshes are coalesced: a burst of events (enabling 128 VFs sends 128) costs one refetch.
  const dirty = new Set();
  let flushTimer = null;
  let inFlight = false;

  function invalidate(names) {
    for (const n of names) dirty.add(n);
    if (!flushTimer && !inFlight) flushTimer = setTimeout(flush, 150);
  }

  async function flush() {
    flushTimer = null;
    if (inFlight || dirty.size === 0) return;
    inFlight = true;
    const names = [...dirty];
    dirty.clear();
    document.body.setAttribute('aria-busy', 'true');
    try {
      await Promise.all(names.map(refreshOne));
    } finally {
      inFlight = false;
      document.body.removeAttribute('aria-busy');
      document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
      if (dirty.size > 0) flushTimer = setTimeout(flush, 150);
    }
  }

  async function refreshOne(name) {
    if (name === 'picture') {
      await refreshPicture();
      return;
    }
    const r = resources[name];
    try {
      state[name] = await getJson(r.path, r.schema);
      showError(name + '-error', null);
      r.render(state[name]);
    } catch (e) {
      showError(name + '-error', 'Could not load ' + r.path + ': ' + e.message);
    }
    renderSummary();
  }

  // ---------------------------------------------------------------- picture

  // The picture is fetched (with the token when there is one) and shown through an object URL:
  // an SVG in an <img> runs no script and loads nothing (CSP img-src 'self' blob:).
  let pictureUrl = null;

  async function refreshPicture() {
    try {
      const blob = await (await get('v1/pictures/host.svg', 'image/svg+xml')).blob();
      const url = URL.createObjectURL(blob.type === 'image/svg+xml' ? blob : new Blob([blob], { type: 'image/svg+xml' }));
      $('picture').src = url;
      if (pictureUrl) URL.revokeObjectURL(pictureUrl);
      pictureUrl = url;
      showError('picture-error', null);
    } catch (e) {
      showError('picture-error', 'Could not load the host picture (v1/pictures/host.svg): ' + e.message);
    }
  }

  function setupPicture() {
    const img = $('picture');
    img.addEventListener('error', () => {
      if (img.getAttribute('src')) showError('picture-error', 'The host picture could not be shown');
    });
    const zoom = $('picture-zoom');
    zoom.addEventListener('click', () => {
      const actual = zoom.getAttribute('aria-pressed') !== 'true';
      zoom.setAttribute('aria-pressed', String(actual));
      $('picture-frame').classList.toggle('actual', actual);
    });
  }

  // ---------------------------------------------------------------- devices

  function holderName(h) {
    if (h.domain) return h.domain;
    return (h.comm || 'process') + (h.pid !== null && h.pid !== undefined ? ' (pid ' + h.pid + ')' : '');
  }

  function sriovText(d) {
    if (d.sriovRole === 'VF' && d.physfn) return 'VF of ' + d.physfn;
    return dash(d.sriovRole);
  }

  function groupNumber(v) {
    return v === null || v === undefined ? null : Number(v);
  }

  // Columns of the device table: header, the text shown and the value sorted by.
  const columns = [
    { key: 'bdf', label: 'Address', text: (d) => d.bdf, sort: (d) => d.bdf },
    {
      key: 'class',
      label: 'Class',
      text: (d) => dash(d.className) + ' [' + String(d.class || '').slice(0, 4) + ']',
      sort: (d) => (d.className || '') + d.class,
    },
    {
      key: 'name',
      label: 'Device',
      text: (d) => [d.vendorName, d.deviceName].filter(Boolean).join(' ') + ' [' + d.vendor + ':' + d.device + ']',
      sort: (d) => [d.vendorName, d.deviceName].filter(Boolean).join(' ').toLowerCase(),
    },
    { key: 'driver', label: 'Driver', text: (d) => dash(d.driver), sort: (d) => d.driver || '' },
    { key: 'group', label: 'IOMMU group', text: (d) => dash(d.iommuGroup), sort: (d) => groupNumber(d.iommuGroup), numeric: true },
    { key: 'numa', label: 'NUMA', text: (d) => dash(d.numaNode), sort: (d) => groupNumber(d.numaNode), numeric: true },
    { key: 'sriov', label: 'SR-IOV', text: sriovText, sort: sriovText },
    {
      key: 'heldBy',
      label: 'Held by',
      text: (d) => dash((d.heldBy || []).map(holderName).join(', ')),
      sort: (d) => (d.heldBy || []).map(holderName).join(', '),
    },
  ];
  const sortState = { key: 'bdf', dir: 1 };

  function setupDeviceTable() {
    const head = $('devices-head');
    for (const c of columns) {
      const button = el('button', { type: 'button', class: 'sort', 'data-key': c.key }, c.label);
      button.addEventListener('click', () => {
        sortState.dir = sortState.key === c.key ? -sortState.dir : 1;
        sortState.key = c.key;
        renderDeviceRows();
      });
      head.append(el('th', { scope: 'col', 'data-col': c.key }, button));
    }
    for (const id of ['f-text', 'f-class', 'f-driver']) {
      $(id).addEventListener('input', renderDeviceRows);
    }
  }

  /** Keeps a select's choices equal to the values seen, keeping the current choice. */
  function fillSelect(select, values, allLabel) {
    const current = select.value;
    const options = [el('option', { value: '' }, allLabel)];
    const seen = new Set(values);
    if (current && !seen.has(current)) seen.add(current);
    for (const v of [...seen].sort()) {
      options.push(el('option', { value: v }, v === '\u0000none' ? '(no driver)' : v));
    }
    select.replaceChildren(...options);
    select.value = current;
  }

  function renderDevices(doc) {
    const devs = doc.devices || [];
    fillSelect($('f-class'), devs.map((d) => d.className || 'unknown class'), 'all classes');
    fillSelect($('f-driver'), devs.map((d) => d.driver || '\u0000none'), 'all drivers');
    renderDeviceRows();
  }

  function matches(d, text, cls, drv) {
    if (cls && (d.className || 'unknown class') !== cls) return false;
    if (drv && (d.driver || '\u0000none') !== drv) return false;
    if (!text) return true;
    const hay = [d.bdf, d.vendorName, d.deviceName, d.className, d.driver, d.vendor + ':' + d.device,
      d.modalias, d.physfn, ...(d.heldBy || []).map(holderName)]
      .filter(Boolean).join(' ').toLowerCase();
    return text.split(/\s+/).every((w) => hay.includes(w));
  }

  function compare(a, b, numeric) {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1; // unknowns last
    if (b === null || b === undefined) return -1;
    if (numeric) return a - b;
    return String(a).localeCompare(String(b), 'en');
  }

  function renderDeviceRows() {
    const doc = state.devices;
    if (!doc) return;
    const devs = doc.devices || [];
    const text = $('f-text').value.trim().toLowerCase();
    const cls = $('f-class').value;
    const drv = $('f-driver').value;
    const col = columns.find((c) => c.key === sortState.key) || columns[0];
    const shown = devs.filter((d) => matches(d, text, cls, drv));
    shown.sort((a, b) => sortState.dir * compare(col.sort(a), col.sort(b), col.numeric)
      || compare(a.bdf, b.bdf, false));
    const rows = shown.map((d) => {
      const tr = el('tr', { 'data-bdf': d.bdf });
      if (d.notResponding) tr.classList.add('not-responding');
      if (d.driver && d.driver.startsWith('vfio')) tr.classList.add('vfio');
      for (const c of columns) {
        const cell = el(c.key === 'bdf' ? 'th' : 'td', { 'data-col': c.key }, c.text(d));
        if (c.key === 'bdf') cell.setAttribute('scope', 'row');
        if (c.key === 'bdf' && d.notResponding) cell.append(' ', el('span', { class: 'badge v-blocking' }, 'not responding'));
        tr.append(cell);
      }
      return tr;
    });
    $('devices').tBodies[0].replaceChildren(...rows);
    for (const th of $('devices-head').children) {
      if (th.dataset.col === sortState.key) {
        th.setAttribute('aria-sort', sortState.dir > 0 ? 'ascending' : 'descending');
      } else {
        th.removeAttribute('aria-sort');
      }
    }
    $('devices-count').textContent =
      shown.length === devs.length ? devs.length + ' devices' : 'Showing ' + shown.length + ' of ' + devs.length + ' devices';
  }

  // ---------------------------------------------------------------- groups

  function renderGroups() {
    const doc = state.groups;
    if (!doc) return;
    const want = $('f-group').value;
    const all = doc.groups || [];
    const shown = all.filter((g) => !want || g.status === want);
    $('groups-count').textContent = shown.length === all.length ? all.length + ' groups' : shown.length + ' of ' + all.length + ' groups';
    const rows = shown.map((g) => {
      const members = el('ul', { class: 'plain' });
      for (const m of g.members || []) {
        members.append(el('li', null, el('span', { class: 'mono' }, m.bdf), ' ', dash(m.name), ' — ',
          m.driver ? m.driver : 'no driver', m.bridge ? ' (bridge)' : ''));
      }
      const status = g.status || 'unknown';
      return el('tr', { 'data-group': g.group },
        el('th', { scope: 'row' }, String(g.group)),
        el('td', null, el('span', { class: 'badge g-' + status.replace(/[^a-z-]/g, '') }, status)),
        el('td', null, members),
        el('td', { class: 'mono' }, dash((g.blockers || []).join(', '))));
    });
    $('groups').tBodies[0].replaceChildren(...rows);
  }

  // ---------------------------------------------------------------- readiness

  function findingRow(f) {
    return el('tr', null,
      el('td', null, badge(f.verdict)),
      el('td', { class: 'mono' }, dash(f.code)),
      el('td', { class: 'mono' }, dash(f.subject)),
      el('td', null, dash(f.message)),
      el('td', { class: 'fix' }, dash(f.fix)));
  }

  function findingsTable(findings, caption) {
    return el('table', { class: 'data' },
      el('caption', { class: 'sr-only' }, caption),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col' }, 'Verdict'), el('th', { scope: 'col' }, 'Check'),
        el('th', { scope: 'col' }, 'Subject'), el('th', { scope: 'col' }, 'Finding'),
        el('th', { scope: 'col' }, 'Fix'))),
      el('tbody', null, ...findings.map(findingRow)));
  }

  const verdictRank = { ok: 0, warning: 1, blocking: 2 };

  function renderCheck(doc) {
    const v = $('check-verdict');
    v.replaceChildren('Worst finding: ', badge(doc.verdict), ' · host settings (IOMMU, VFIO modules): ',
      doc.hostReady ? 'ready for passthrough' : 'not ready for passthrough');
    $('check-host').tBodies[0].replaceChildren(...(doc.host || []).map(findingRow));
    renderCheckDevices();
  }

  function renderCheckDevices() {
    const doc = state.check;
    if (!doc) return;
    const min = $('f-verdict').value;
    const wanted = (doc.devices || []).filter((d) => !min || (verdictRank[d.verdict] || 0) >= verdictRank[min]);
    const blocks = wanted.map((d) => el('details', { class: 'device-findings', 'data-bdf': d.bdf },
      el('summary', null, badge(d.verdict), ' ', el('span', { class: 'mono' }, d.bdf), ' ', dash(d.name),
        d.assignable ? ' — assignable' : ' — not assignable'),
      findingsTable(d.findings || [], 'Findings for ' + d.bdf)));
    if (blocks.length === 0) blocks.push(el('p', null, 'No device matches.'));
    $('check-devices').replaceChildren(...blocks);
  }

  // ---------------------------------------------------------------- SR-IOV

  function vfFree(vf) {
    return (!vf.driver || vf.driver.startsWith('vfio')) && (vf.openBy || []).length === 0;
  }

  function renderSriov(doc) {
    const pfs = doc.pfs || [];
    const out = [];
    if (pfs.length === 0) out.push(el('p', null, 'No SR-IOV physical function on this host.'));
    for (const pf of pfs) {
      const vfs = pf.vfs || [];
      const free = vfs.filter(vfFree).length;
      const table = el('table', { class: 'data' },
        el('caption', { class: 'sr-only' }, 'Virtual functions of ' + pf.address),
        el('thead', null, el('tr', null,
          el('th', { scope: 'col' }, 'VF'), el('th', { scope: 'col' }, 'Address'),
          el('th', { scope: 'col' }, 'Driver'), el('th', { scope: 'col' }, 'IOMMU group'),
          el('th', { scope: 'col' }, 'Open by'))),
        el('tbody', null, ...vfs.map((vf) => el('tr', { 'data-bdf': vf.address },
          el('th', { scope: 'row' }, String(vf.index)),
          el('td', { class: 'mono' }, vf.address),
          el('td', null, dash(vf.driver)),
          el('td', null, dash(vf.iommuGroup)),
          el('td', null, dash((vf.openBy || []).join(', ')))))));
      out.push(el('details', { class: 'pf', 'data-pf': pf.address },
        el('summary', null, el('span', { class: 'mono' }, pf.address), ' ', dash(pf.driver), ' — ',
          pf.numVfs + ' of ' + pf.totalVfs + ' VFs enabled, ' + free + ' free, autoprobe ' + (pf.autoprobe ? 'on' : 'off')),
        vfs.length ? table : el('p', null, 'No VF enabled.')));
    }
    const detached = doc.detachedVfs || [];
    if (detached.length) {
      out.push(el('p', { class: 'error' }, 'VFs whose PF is gone: ', detached.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')));
    }
    $('sriov').replaceChildren(...out);
  }

  // ---------------------------------------------------------------- VMs and VFIO

  let holdersSeen = null;

  function renderVfio(doc) {
    const devs = doc.vfioDevices || [];
    // the device table's "Held by" column changes with the holders, which send no event
    const holders = JSON.stringify(devs.filter((d) => (d.heldBy || []).length || (d.openBy || []).length)
      .map((d) => [d.address, d.heldBy, d.openBy]));
    if (holdersSeen !== null && holders !== holdersSeen) invalidate(['devices']);
    holdersSeen = holders;
    // one row per holder (a running VM or another process), with the devices whose group it holds
    const byHolder = new Map();
    const add = (key, vm, stateText, proc, bdf) => {
      if (!byHolder.has(key)) byHolder.set(key, { vm, state: stateText, proc, devices: [] });
      const h = byHolder.get(key);
      if (!h.devices.includes(bdf)) h.devices.push(bdf);
    };
    for (const d of devs) {
      const held = d.heldBy || [];
      for (const h of held) {
        const proc = (h.comm || '') + (h.pid !== null && h.pid !== undefined ? ' (pid ' + h.pid + ')' : '');
        add('h:' + (h.domain || proc), h.domain || '(no libvirt domain)', h.domainState || 'running', proc, d.address);
      }
      if (held.length === 0) {
        for (const o of d.openBy || []) add('o:' + o, '(no libvirt domain)', 'running', String(o), d.address);
      }
      if (d.libvirtDefinedDomain && held.length === 0) {
        add('d:' + d.libvirtDefinedDomain, d.libvirtDefinedDomain, 'defined, not running', '–', d.address);
      }
    }
    const vmRows = [...byHolder.values()].map((h) => el('tr', null,
      el('th', { scope: 'row' }, h.vm), el('td', null, h.state), el('td', null, dash(h.proc)),
      el('td', { class: 'mono' }, h.devices.join(', '))));
    if (vmRows.length === 0) {
      vmRows.push(el('tr', null, el('td', { colspan: 4 }, 'No VM holds a VFIO device.')));
    }
    $('vms').tBodies[0].replaceChildren(...vmRows);
    const rows = devs.map((d) => el('tr', { 'data-bdf': d.address },
      el('th', { scope: 'row', class: 'mono' }, d.address),
      el('td', { class: 'mono' }, dash(d.ids)),
      el('td', null, dash(d.driver)),
      el('td', null, dash(d.iommuGroup)),
      el('td', null, d.boundByPcikit ? 'yes' : 'no'),
      el('td', null, dash(d.priorDriver)),
      el('td', null, d.persisted ? 'yes' : 'no'),
      el('td', null, dash((d.heldBy || []).map(holderName).join(', ')))));
    if (rows.length === 0) rows.push(el('tr', null, el('td', { colspan: 8 }, 'No device is on a VFIO driver.')));
    $('vfio').tBodies[0].replaceChildren(...rows);
    const interrupted = doc.interrupted;
    showError('vfio-interrupted', interrupted
      ? 'An interrupted operation is waiting for recovery (pcikit recover): ' +
        (typeof interrupted === 'string' ? interrupted : JSON.stringify(interrupted))
      : null);
  }

  // ---------------------------------------------------------------- summary

  function renderSummary() {
    const items = [];
    const add = (term, value) => items.push(el('dt', null, term), el('dd', null, value));
    if (state.devices) {
      const devs = state.devices.devices || [];
      add('Devices', String(devs.length));
      add('On VFIO drivers', String(devs.filter((d) => d.driver && d.driver.startsWith('vfio')).length));
      const nr = devs.filter((d) => d.notResponding).length;
      if (nr) add('Not responding', String(nr));
    }
    if (state.groups) {
      const gs = state.groups.groups || [];
      add('IOMMU groups', gs.length + ' (' + gs.filter((g) => g.status === 'vfio-viable').length + ' VFIO-viable)');
    }
    if (state.check) add('Readiness', badge(state.check.verdict));
    if (state.sriov) {
      const pfs = state.sriov.pfs || [];
      if (pfs.length) {
        const vfs = pfs.flatMap((p) => p.vfs || []);
        add('SR-IOV', pfs.length + ' PFs, ' + vfs.length + ' VFs, ' + vfs.filter(vfFree).length + ' free');
      }
    }
    $('summary').replaceChildren(...items);
  }

  // ---------------------------------------------------------------- live updates

  // What each event type can change (the agent's event types, docs/agent.md).
  const affects = {
    'device-added': ALL,
    'device-removed': ALL,
    'driver-changed': ALL,
    'vfs-changed': ALL,
    'group-viability-changed': ['groups', 'check', 'picture'],
    'device-not-responding': ['devices', 'check', 'picture'],
    'device-responding': ['devices', 'check', 'picture'],
  };
  const MAX_EVENTS_SHOWN = 50;

  function setLive(stateName, text) {
    const p = $('live');
    p.dataset.state = stateName;
    p.textContent = text;
  }

  function showEvent(ev) {
    const list = $('events');
    // "2026-12-02T09:55:08.182736927Z" -> "2026-12-02 09:55:08Z"
    const when = typeof ev.time === 'string' ? ev.time.replace('T', ' ').replace(/\.\d+/, '') : '';
    const details = ev.details && typeof ev.details === 'object' ? JSON.stringify(ev.details) : '';
    list.prepend(el('li', { 'data-seq': ev.seq },
      el('span', { class: 'mono' }, '#' + dash(ev.seq)), ' ', when, ' ', el('strong', null, dash(ev.type)), ' ',
      el('span', { class: 'mono' }, dash(ev.bdf)), details ? ' ' + details : ''));
    while (list.children.length > MAX_EVENTS_SHOWN) list.lastElementChild.remove();
  }

  // The stream is read with fetch rather than EventSource: EventSource cannot send the bearer
  // token, and its fixed-pace retry has no backoff. Parsing follows the HTML standard's
  // event-stream rules (lines end in CRLF, LF or CR; "data:" lines join with LF; a blank line
  // dispatches; "id:" is sent back as Last-Event-ID on reconnection; ":" starts a comment).
  const STREAM_LINE_LIMIT = 1 << 20; // a line this long is not an event of the agent's: reconnect
  let lastEventId = null;
  let abort = null;
  let retryDelay = 1000;
  let retryTimer = null;
  let serverRetry = null;

  function onEvent(type, data, id) {
    let ev = null;
    try {
      ev = JSON.parse(data);
    } catch (e) {
      ev = { type, seq: id };
    }
    if (!ev || typeof ev !== 'object') ev = { type, seq: id };
    if (typeof ev.type !== 'string') ev.type = type; // "gap": events were dropped, re-read all
    showEvent(ev);
    invalidate(affects[ev.type] || ALL);
  }

  /** Splits the stream into events; returns the unparsed rest. */
  function parseStream(text, ev) {
    let start = 0;
    for (;;) {
      const lf = text.indexOf('\n', start);
      const cr = text.indexOf('\r', start);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) break;
      if (text[end] === '\r' && end + 1 === text.length) break; // maybe CRLF cut in two
      const line = text.slice(start, end);
      start = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
      if (line === '') {
        if (ev.data.length) onEvent(ev.type || 'message', ev.data.join('\n'), ev.id);
        ev.type = '';
        ev.data = [];
        continue;
      }
      if (line[0] === ':') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value[0] === ' ') value = value.slice(1);
      if (field === 'event') ev.type = value;
      else if (field === 'data') ev.data.push(value);
      else if (field === 'id' && !value.includes('\u0000')) lastEventId = ev.id = value;
      else if (field === 'retry' && /^[0-9]+$/.test(value)) serverRetry = Number(value);
    }
    return text.slice(start);
  }

  async function connect() {
    retryTimer = null;
    const controller = new AbortController();
    abort = controller;
    setLive('connecting', 'connecting to the event stream…');
    let opened = 0;
    let why = 'closed';
    try {
      const headers = authHeaders({ Accept: 'text/event-stream' });
      if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
      const res = await fetch('v1/events/stream', { cache: 'no-store', headers, signal: controller.signal });
      if (!res.ok || !(res.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
        if (res.status === 401) askForToken();
        throw new Error('HTTP ' + res.status);
      }
      opened = Date.now();
      setLive('live', 'live: updates as the host changes');
      // events may have been missed while not connected (or before the first connection)
      invalidate(ALL);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const ev = { type: '', data: [], id: null };
      let rest = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest = parseStream(rest + value, ev);
        if (rest.length > STREAM_LINE_LIMIT) throw new Error('event line too long');
      }
    } catch (e) {
      // fetch rejects with a TypeError when the agent cannot be reached at all
      why = e instanceof TypeError ? 'agent not reachable' : e.message || String(e);
    }
    if (abort !== controller) return; // replaced by reconnectNow()
    abort = null;
    if (opened && Date.now() - opened > 30000) retryDelay = 1000; // it had been up for a while
    const base = Math.max(retryDelay, serverRetry || 0);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    retryDelay = Math.min(retryDelay * 2, 30000);
    setLive('reconnecting', 'event stream lost (' + why + '): reconnecting in ' + Math.ceil(delay / 1000) + ' s');
    retryTimer = setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const old = abort;
    abort = null;
    if (old) old.abort();
    retryDelay = 1000;
    connect();
  }

  // Which VM holds a group open produces no event: the VFIO status is re-read every 30 s (and the
  // devices when a holder changed, see renderVfio).
  function pollHolders() {
    if (document.visibilityState === 'visible') invalidate(['vfio']);
  }

  // ---------------------------------------------------------------- start

  function start() {
    setupPicture();
    setupDeviceTable();
    $('f-verdict').addEventListener('input', renderCheckDevices);
    $('f-group').addEventListener('input', renderGroups);
    for (const form of document.querySelectorAll('form.filters')) form.addEventListener('submit', (e) => e.preventDefault());
    $('refresh').addEventListener('click', () => invalidate(ALL));
    loadToken();
    setupTokenForm();
    invalidate(ALL);
    connect();
    setInterval(pollHolders, 30000);
  }

  start();
})();
