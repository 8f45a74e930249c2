// Errors: how many records failed, by kind and by what was done with them, and the latest
// dead letters with their headers, read from the dead-letter topics.
import { endpoint, getJson } from '../api.js';
import { empty, h, num, panel, pill, refreshingView, replace, table, time, update } from '../dom.js';

export const title = 'Errors';

const KINDS = ['deserialization', 'processing', 'production'];

const OUTCOMES = ['dead-letter', 'log-and-continue', 'fail'];

export function render(container, ctx) {
  // The dead letters unfolded, kept unfolded across refreshes.
  const open = new Set();
  return refreshingView(container, ctx, 'errors', (root, c) => draw(root, c, open));
}

async function draw(root, ctx, open) {
  if (!ctx.processor || !endpoint('streams')) {
    replace(root, empty('No processor to show.'));
    return;
  }
  const base = `${endpoint('streams')}/${encodeURIComponent(ctx.processor)}`;
  const [letters, detail] = await Promise.all([getJson(`${base}/dead-letters`), getJson(base)]);
  update(root, h('div', { class: 'grid two' }, countsPanel(letters), topicsPanel(letters, detail)), latestPanel(letters, open));
}

function countsPanel(letters) {
  const handled = letters.handledHere || {};
  const rows = KINDS.map((kind) => {
    const counts = handled[kind] || {};
    return h('tr', { 'data-kind': kind }, h('td', null, kind),
      OUTCOMES.map((outcome) => h('td', { class: 'num', 'data-outcome': outcome },
        counts[outcome] ? h('strong', null, num(counts[outcome])) : h('span', { class: 'faint' }, '0'))),
      h('td', { class: 'num hide-narrow' }, num(letters.latestByKind ? letters.latestByKind[kind] || 0 : 0)));
  });
  return panel('Failed records', [
    table(['Kind', { text: 'Dead-lettered', attrs: { class: 'num' } }, { text: 'Skipped', attrs: { class: 'num' } },
      { text: 'Failed', attrs: { class: 'num' } }, { text: 'Among latest', attrs: { class: 'num hide-narrow' } }], rows, { id: 'error-counts' }),
    h('p', { class: 'note' }, 'Handled by this instance since it started, by what was done with them; "among latest": the dead letters listed below, from every instance.')]);
}

function topicsPanel(letters, detail) {
  const errors = (detail.settings && detail.settings.errors) || {};
  const rows = letters.topics.map((topic) => h('tr', { 'data-topic': topic.topic },
    h('td', { class: 'mono wrap' }, topic.topic),
    h('td', { class: 'num' }, topic.records === null ? h('span', { class: 'faint' }, 'not created') : num(topic.records)),
    h('td', { class: 'num' }, num(topic.partitions))));
  return panel('Dead-letter topics', [
    h('div', { class: 'facts', style: { marginBottom: '12px' } },
      KINDS.map((kind) => h('div', null, h('div', { class: 'fact-label' }, kind),
        h('div', { class: 'fact-value' }, errors[kind] ? h('span', { class: 'tag' }, errors[kind]) : '—')))),
    letters.topics.length
      ? table(['Topic', { text: 'Records', attrs: { class: 'num' } }, { text: 'Partitions', attrs: { class: 'num' } }], rows)
      : empty('This processor sends no dead letters.'),
    h('p', { class: 'note' }, 'Records the topics retain, from all instances.')]);
}

/** What the endpoint shows in place of contents the user may not see. */
const HIDDEN = '******';

function latestPanel(letters, open) {
  const list = letters.latest.map((letter) => {
    const id = `${letter.topic}-${letter.partition}@${letter.offset}`;
    const header = (name) => letter.headers[name] ? letter.headers[name].text || letter.headers[name].base64 : null;
    const exception = header('__streams.errors.exception');
    const message = header('__streams.errors.message');
    const source = header('__streams.errors.topic');
    const details = h('details', { class: 'letter', 'data-letter': id, 'data-key': id, open: open.has(id) },
      h('summary', null,
        h('span', { class: 'mono muted' }, time(letter.timestamp)),
        h('span', null, pill(letter.kind, letter.kind === 'unknown' ? 'idle' : 'bad')),
        h('span', { class: 'what' }, h('strong', null, exception ? exception.replace(/^.*\./, '') : 'dead letter'),
          message && message !== HIDDEN ? `: ${message}` : '', h('span', { class: 'faint' },
            source ? `  ·  from ${source}-${header('__streams.errors.partition')}@${header('__streams.errors.offset')}` : '',
            header('__tributary.async.step') ? `  ·  async step ${header('__tributary.async.step')}` : ''))),
      h('div', { class: 'body' },
        h('div', { class: 'facts' },
          h('div', null, h('div', { class: 'fact-label' }, 'Dead letter'), h('div', { class: 'fact-value mono' }, id)),
          h('div', null, h('div', { class: 'fact-label' }, 'Key'), h('div', { class: 'fact-value' }, payload(letter.key))),
          h('div', null, h('div', { class: 'fact-label' }, 'Node'), h('div', { class: 'fact-value mono' }, header('__streams.errors.node') || '—')),
          h('div', null, h('div', { class: 'fact-label' }, 'Task'), h('div', { class: 'fact-value mono' }, header('__streams.errors.task') || '—'))),
        h('div', null, h('div', { class: 'fact-label' }, 'Value'), payload(letter.value, true)),
        table(['Header', 'Value'], Object.entries(letter.headers).map(([name, value]) => h('tr', null,
          h('td', null, name), h('td', null, name === '__streams.errors.stacktrace' && value.text
            ? stackTrace(value, `${id}:stack`, open)
            : [value.text !== undefined ? value.text : `base64: ${value.base64}`,
              value.truncated ? h('span', { class: 'faint' }, ` … (${num(value.size)} bytes in all)`) : '']))),
        { class: 'headers' })));
    details.addEventListener('toggle', () => (details.open ? open.add(id) : open.delete(id)));
    return details;
  });
  const body = [];
  if (letters.error) {
    body.push(h('div', { class: 'error-box', style: { margin: '12px 14px' } }, letters.error));
  }
  if (letters.valuesShown === false && list.length) {
    body.push(h('p', { class: 'note', id: 'values-hidden', style: { margin: '12px 14px' } }, `Keys, values and error texts are hidden (${HIDDEN}) from this user, `
      + 'as management.endpoint.streams.show-values and .roles say (when-authorized by default: signed in, with one of the roles).'));
  }
  body.push(list.length ? h('div', { id: 'dead-letters' }, list) : empty('No dead letters. Records that fail are dead-lettered here when their handling is dead-letter.'));
  return panel(h('div', { class: 'section-title' }, h('h2', null, 'Latest dead letters'),
    h('span', { class: 'muted' }, `${list.length} newest, read ${time(Date.parse(letters.readAt))}`)), body, { flush: true });
}

/** A stack trace folded to its first line, unfolded on demand (and kept so across refreshes). */
function stackTrace(value, key, open) {
  const lines = value.text.split('\n');
  const folded = h('details', { class: 'stack', 'data-key': key, open: open.has(key) },
    h('summary', null, lines[0], h('span', { class: 'faint' }, `  (${lines.length} lines)`)),
    lines.slice(1).join('\n'), value.truncated ? h('span', { class: 'faint' }, ` … (${num(value.size)} bytes in all)`) : '');
  folded.addEventListener('toggle', () => (folded.open ? open.add(key) : open.delete(key)));
  return folded;
}

function payload(value, block) {
  if (!value) {
    return h('span', { class: 'faint' }, 'null');
  }
  const text = value.text !== undefined ? value.text : value.base64;
  const suffix = [value.text === undefined ? ' (base64)' : '', value.truncated ? ` … ${num(value.size)} bytes in all` : ''].join('');
  return block ? h('pre', { class: 'json' }, text, h('span', { class: 'faint' }, suffix))
    : h('span', { class: 'mono' }, text, h('span', { class: 'faint' }, suffix));
}
