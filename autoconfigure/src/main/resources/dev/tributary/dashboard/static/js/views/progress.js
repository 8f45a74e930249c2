// Progress: the whole group's lag per partition with its recent history, and the
// restoration of this instance's stores.
import { endpoint, getJson } from '../api.js';
import { duration, empty, fact, h, num, panel, refreshingView, replace, sparkline, table, time, topic, update } from '../dom.js';

export const title = 'Progress';

export function render(container, ctx) {
  return refreshingView(container, ctx, 'progress', draw);
}

async function draw(root, ctx) {
  if (!ctx.processor || !endpoint('streams')) {
    replace(root, empty('No processor to show.'));
    return;
  }
  const base = `${endpoint('streams')}/${encodeURIComponent(ctx.processor)}`;
  const [lag, detail] = await Promise.all([getJson(`${base}/lag`), getJson(base)]);
  update(root, lagPanel(lag), restorationPanel(detail));
}

function lagPanel(lag) {
  const history = lag.history || [];
  const totals = history.map((s) => s.totalLag);
  const rate = ratePerSecond(history);
  const summary = h('div', { class: 'facts' },
    fact('Total lag', h('span', { class: 'big', 'data-role': 'total-lag' }, num(lag.totalLag))),
    fact('Trend', sparkline(totals, { width: 140, height: 34 })),
    fact('Change', rate === null ? '—' : Math.abs(rate) < 0.5 ? 'steady' : `${rate > 0 ? '+' : '−'}${num(Math.abs(Math.round(rate)))} records/s`,
      { title: 'How fast the lag grows (+) or shrinks (−) over the recent history' }),
    fact('Consumer group', h('span', { class: 'mono' }, lag.group)),
    fact('Sampled', time(Date.parse(lag.sampledAt))));
  const byPartition = (key) => history.map((s) => s.partitions[key]);
  const rows = lag.partitions.map((p) => h('tr', { 'data-partition': `${p.topic}-${p.partition}` },
    h('td', { class: 'nowrap' }, topic(p.topic, lag.group)),
    h('td', { class: 'num' }, p.partition),
    h('td', { class: 'num hide-narrow' }, num(p.committedOffset)),
    h('td', { class: 'num hide-narrow' }, num(p.endOffset)),
    h('td', { class: 'num', 'data-role': 'lag' }, p.lag ? h('strong', null, num(p.lag)) : num(p.lag)),
    h('td', { class: 'hide-narrow' }, sparkline(byPartition(`${p.topic}-${p.partition}`))),
    h('td', { class: 'mono hide-narrow' }, p.owner || h('span', { class: 'faint' }, 'unknown'))));
  const body = [summary];
  if (lag.error) {
    body.push(h('div', { class: 'error-box' }, lag.error));
  }
  body.push(lag.partitions.length
    ? table(['Topic', { text: 'Partition', attrs: { class: 'num' } }, { text: 'Committed', attrs: { class: 'num hide-narrow' } },
      { text: 'End', attrs: { class: 'num hide-narrow' } }, { text: 'Lag', attrs: { class: 'num' } },
      { text: 'Recent', attrs: { class: 'hide-narrow' } }, { text: 'Processed by', attrs: { class: 'hide-narrow' } }], rows,
    { id: 'lag' })
    : empty('No input partitions known yet.'));
  body.push(h('p', { class: 'note' }, 'Every input partition of the whole group, from its committed offsets and the partitions\' end offsets. ',
    `History: the last ${history.length} samples, taken while someone looks (at most one per 5 s).`));
  return panel('Lag', body);
}

/** The lag's change per second over the history: positive when falling behind. */
function ratePerSecond(history) {
  if (history.length < 2) {
    return null;
  }
  const first = history[0];
  const last = history[history.length - 1];
  const seconds = (last.at - first.at) / 1000;
  return seconds > 0 ? (last.totalLag - first.totalLag) / seconds : null;
}

function restorationPanel(detail) {
  const stores = Object.entries(detail.restoration || {});
  if (!stores.length) {
    return panel('Restoration', empty(detail.stores && detail.stores.length
      ? 'Nothing restored on this instance since the processor started: its stores were up to date.'
      : 'This processor has no state stores.'));
  }
  const rows = stores.map(([store, r]) => h('tr', { 'data-store': store },
    h('td', { class: 'mono' }, store),
    h('td', null, h('div', { class: r.restoring ? 'bar' : 'bar done', title: `${r.percent}%` },
      h('span', { style: { width: `${Math.min(100, r.percent)}%` } }))),
    h('td', { class: 'num' }, `${r.percent}%`),
    h('td', { class: 'num hide-narrow' }, `${num(r.restoredRecords)} / ${num(r.totalRecords)}`),
    h('td', { class: 'num hide-narrow' }, `${num(r.recordsPerSecond)}/s`),
    h('td', { class: 'num' }, r.restoring ? (r.estimatedSecondsLeft !== undefined ? duration(r.estimatedSecondsLeft) : 'estimating') : 'done')));
  return panel('Restoration on this instance', [
    table(['Store', 'Progress', { text: '%', attrs: { class: 'num' } }, { text: 'Records', attrs: { class: 'num hide-narrow' } },
      { text: 'Rate', attrs: { class: 'num hide-narrow' } }, { text: 'Time left', attrs: { class: 'num' } }], rows, { id: 'restoration' }),
    h('p', { class: 'note' }, 'Stores restored from their changelogs by this instance since the processor started; other instances report their own.')]);
}
