// Stores: pick a store, look a key up or page through keys or windows, through the
// statestores endpoint (answered by whichever instance holds the data).
import { ApiError, describe, endpoint, getJson } from '../api.js';
import { empty, h, jsonView, num, panel, pill, replace, table, time } from '../dom.js';

export const title = 'Stores';

const WINDOWED = new Set(['WINDOW', 'SESSION']);

export async function render(container, ctx) {
  const base = endpoint('statestores');
  if (!base) {
    container.append(empty('The statestores endpoint is not exposed: add statestores to management.endpoints.web.exposure.include.'));
    return null;
  }
  if (!ctx.processor) {
    container.append(empty('No processor to show.'));
    return null;
  }
  const described = await getJson(base);
  const processor = (described.processors || []).find((p) => p.name === ctx.processor);
  const stores = processor ? processor.stores.filter((s) => !s.global) : [];
  if (!stores.length) {
    container.append(empty(`${ctx.processor} has no store that can be queried${processor && processor.stores.length ? ' (global stores cannot)' : ''}.`));
    return null;
  }
  const state = { store: stores[0], mode: initialMode(stores[0]), cursors: [], next: null, last: null };
  const picker = h('select', { id: 'store' }, stores.map((s) => h('option', { value: s.name }, s.name)));
  const form = h('form', { class: 'form', id: 'store-query' });
  const result = h('div', { id: 'store-result' });
  const about = h('span', { class: 'muted', id: 'store-about' });
  const modes = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Query' });
  container.append(h('div', { class: 'grid' },
    panel(h('div', { class: 'section-title' }, h('h2', null, 'Store'), h('label', { class: 'field' }, h('span', { class: 'sr-only' }, 'Store'), picker), about),
      [h('div', { style: { marginBottom: '12px' } }, modes), form], { actions: null }),
    panel('Answer', result)));

  function drawModes() {
    const windowed = WINDOWED.has(state.store.type);
    const options = [['key', windowed ? 'Windows of a key' : 'Look up a key'], ['scan', windowed ? 'All windows' : 'Browse keys']];
    if (state.store.type === 'SESSION') {
      options.pop();
    }
    replace(modes, options.map(([mode, label]) => h('button', {
      type: 'button', 'aria-pressed': String(state.mode === mode), 'data-mode': mode,
      onclick: () => {
        state.mode = mode;
        drawModes();
        drawForm();
        showFirstPage();
      },
    }, label)));
  }

  function field(name, label, attrs = {}) {
    return h('label', { class: 'field' }, h('span', null, label), h('input', { name, autocomplete: 'off', ...attrs }));
  }

  function drawForm() {
    const type = state.store.type;
    const windowed = WINDOWED.has(type);
    const fields = [];
    if (state.mode === 'key') {
      fields.push(field('key', `Key (${state.store.keyType || 'string'})`, { required: true, id: 'store-key', placeholder: keyHint(state.store.keyType) }));
      if (type === 'VERSIONED_KEY_VALUE') {
        fields.push(field('asOf', 'As of (optional)', { placeholder: '2026-01-31T12:00:00Z' }));
      }
      if (windowed) {
        fields.push(field('timeFrom', 'From time', { placeholder: 'ISO-8601 or epoch ms' }), field('timeTo', 'To time', { placeholder: 'ISO-8601 or epoch ms' }));
      }
    } else if (windowed) {
      const now = Date.now();
      fields.push(field('timeFrom', 'From time', { required: true, value: new Date(now - 3600_000).toISOString() }),
        field('timeTo', 'To time', { required: true, value: new Date(now).toISOString() }),
        field('limit', 'Page size', { type: 'number', min: 1, value: 50 }));
    } else {
      fields.push(field('prefix', 'Prefix', { placeholder: 'optional' }), field('from', 'From key', { placeholder: 'optional' }),
        field('to', 'To key', { placeholder: 'optional' }), field('limit', 'Page size', { type: 'number', min: 1, value: 50 }));
    }
    fields.push(h('button', { type: 'submit', class: 'button primary', id: 'store-submit' }, state.mode === 'key' ? 'Look up' : 'Show'));
    replace(form, fields);
    replace(about, [state.store.type ? h('span', { class: 'tag' }, state.store.type.toLowerCase().replaceAll('_', ' ')) : null, ' ',
      `keys: ${state.store.keyType || 'string'}`, state.store.keyTypeSource ? ` (from ${state.store.keyTypeSource})` : '']);
    replace(result, h('p', { class: 'muted' }, state.mode === 'key' ? 'Type a key and look it up.' : 'Show a page of the store.'));
  }

  async function query(cursor) {
    const params = new URLSearchParams();
    for (const input of form.querySelectorAll('input')) {
      if (input.value.trim() !== '') {
        params.set(input.name, input.value.trim());
      }
    }
    if (cursor) {
      params.set('cursor', cursor);
    }
    const url = `${base}/${encodeURIComponent(ctx.processor)}/${encodeURIComponent(state.store.name)}?${params}`;
    replace(result, h('p', { class: 'muted' }, 'Asking…'));
    try {
      const answer = await getJson(url);
      state.next = answer.nextCursor || null;
      drawAnswer(answer);
    } catch (e) {
      const absent = e instanceof ApiError && e.status === 404 && state.mode === 'key';
      replace(result, absent ? h('div', { class: 'warn-box', 'data-role': 'absent' }, describe(e))
        : [h('div', { class: 'error-box' }, describe(e)),
          e.body && e.body.parameters ? h('p', { class: 'note' }, `Parameters that go together here: ${e.body.parameters.join(', ')}`) : null]);
    }
  }

  function drawAnswer(answer) {
    if (answer.entries) {
      replace(result, page(answer.entries.map((entry) => h('tr', null,
        h('td', { class: 'mono wrap', 'data-role': 'key' }, String(entry.key)),
        h('td', { 'data-role': 'value' }, jsonView(entry.value)),
        h('td', { class: 'num hide-narrow' }, entry.timestamp ? time(entry.timestamp) : '—'),
        h('td', { class: 'mono hide-narrow' }, entry.host))), ['Key', 'Value', 'Timestamp', 'Answered by'], [2, 3], answer));
    } else if (answer.windows) {
      replace(result, page(answer.windows.map((w) => h('tr', null,
        h('td', { class: 'mono wrap', 'data-role': 'key' }, String(w.key)),
        h('td', { class: 'mono' }, `${time(w.startMs)} – ${time(w.endMs)}`),
        h('td', { 'data-role': 'value' }, jsonView(w.value)),
        h('td', { class: 'mono hide-narrow' }, w.host))), ['Key', 'Window', 'Value', 'Answered by'], [3], answer));
    } else {
      replace(result, h('div', { class: 'result-card', 'data-role': 'answer' },
        h('div', { class: 'facts' },
          h('div', null, h('div', { class: 'fact-label' }, 'Key'), h('div', { class: 'fact-value mono', 'data-role': 'key' }, String(answer.key))),
          h('div', null, h('div', { class: 'fact-label' }, 'Answered by'), h('div', { class: 'fact-value mono', 'data-role': 'host' }, answer.host)),
          h('div', null, h('div', { class: 'fact-label' }, 'Freshness'), h('div', { class: 'fact-value', 'data-role': 'stale' },
            answer.stale ? pill('stale: from a standby', 'warn') : pill('current', 'ok'))),
          answer.timestamp ? h('div', null, h('div', { class: 'fact-label' }, 'Timestamp'), h('div', { class: 'fact-value' }, time(answer.timestamp))) : null,
          answer.validTo ? h('div', null, h('div', { class: 'fact-label' }, 'Valid to'), h('div', { class: 'fact-value' }, time(answer.validTo))) : null),
        h('div', null, h('div', { class: 'fact-label' }, 'Value'), h('div', { 'data-role': 'value', 'data-json': JSON.stringify(answer.value) }, jsonView(answer.value)))));
    }
  }

  function page(rows, headers, narrowHidden, answer) {
    const previous = h('button', { type: 'button', class: 'button small', disabled: state.cursors.length === 0,
      onclick: () => {
        state.last = state.cursors.pop() || null;
        query(state.last);
      } }, 'Previous');
    const next = h('button', { type: 'button', class: 'button small', disabled: !answer.nextCursor, 'data-role': 'next',
      onclick: () => {
        state.cursors.push(state.last);
        state.last = answer.nextCursor;
        query(answer.nextCursor);
      } }, 'Next page');
    return [
      rows.length ? table(headers.map((text, i) => ({ text, attrs: { class: [narrowHidden.includes(i) ? 'hide-narrow' : '', text === 'Timestamp' ? 'num' : ''].join(' ').trim() || null } })), rows, { id: 'store-entries' })
        : empty('Nothing in this range.'),
      h('div', { class: 'actions', style: { marginTop: '10px' } }, previous, next,
        h('span', { class: 'muted' }, `${num(answer.count)} shown${answer.limitClamped ? ' (page size lowered to the maximum)' : ''}${answer.truncated ? ', more on the next page' : ''}`)),
    ];
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.cursors = [];
    state.last = null;
    query(null);
  });
  picker.addEventListener('change', () => {
    state.store = stores.find((s) => s.name === picker.value);
    state.mode = initialMode(state.store);
    drawModes();
    drawForm();
    showFirstPage();
  });
  // A first page straight away: a look at what the store holds needs no typing.
  function showFirstPage() {
    if (state.mode === 'scan') {
      state.cursors = [];
      state.last = null;
      query(null);
    }
  }
  drawModes();
  drawForm();
  showFirstPage();
  return null;
}

function initialMode(store) {
  return store.type === 'SESSION' ? 'key' : 'scan';
}

function keyHint(keyType) {
  switch (keyType) {
    case 'long':
    case 'integer':
      return '42';
    case 'uuid':
      return '123e4567-e89b-12d3-a456-426614174000';
    case 'bytes':
      return 'base64';
    default:
      return 'a key';
  }
}
