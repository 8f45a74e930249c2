// Processors: state, health, threads and tasks, uptime, last error, and the actions.
import { describe, endpoint, getJson, mayOperate, runAction, currentSession } from '../api.js';
import { duration, empty, fact, h, num, panel, pill, replace, stateLabel, stateTone, table, update } from '../dom.js';

export const title = 'Processors';

const ACTIONS = [
  { action: 'start', label: 'Start', when: (p) => !p.started || p.failed },
  { action: 'pause', label: 'Pause', when: (p) => p.started && !p.paused && !p.failed && p.state !== 'NOT_RUNNING' },
  { action: 'resume', label: 'Resume', when: (p) => p.started && p.paused },
  { action: 'stop', label: 'Stop', when: (p) => p.started, confirm: true, danger: true },
  { action: 'restart', label: 'Restart', when: () => true, confirm: true },
  { action: 'reset', label: 'Restart from changelogs', when: () => true, confirm: true, danger: true },
];

const CONFIRMATIONS = {
  stop: (name) => [`Stop ${name}?`, `${name} leaves its consumer group on this instance and stays stopped until started again. Other instances take over its partitions.`, 'Stop'],
  restart: (name) => [`Restart ${name}?`, `${name} stops and starts again on this instance with a new Kafka Streams instance; its local state is kept.`, 'Restart'],
  reset: (name) => [`Restart ${name} from its changelogs?`, `${name} stops, its local state on this instance is deleted, and it starts again restoring every store from its changelog topics. This can take long for large stores.`, 'Delete local state and restart'],
};

export async function render(container, ctx) {
  const list = h('div', { class: 'processors', id: 'processor-list' });
  container.append(list);
  const view = { refresh: (c) => draw(list, c) };
  await draw(list, ctx);
  return view;
}

async function draw(list, ctx) {
  const url = endpoint('streams');
  if (!url) {
    replace(list, empty('The streams endpoint is not exposed.'));
    return;
  }
  if (!ctx.processors.length) {
    replace(list, empty('This application has no @StreamProcessor.'));
    return;
  }
  const details = await Promise.all(ctx.processors.map(async (p) => {
    const base = `${url}/${encodeURIComponent(p.name)}`;
    const [detail, lag, cluster] = await Promise.all([getJson(base).catch((e) => ({ ...p, loadError: describe(e) })),
      getJson(`${base}/lag`).catch(() => null), getJson(`${base}/cluster`).catch(() => null)]);
    return { ...detail, groupLag: lag, cluster };
  }));
  update(list, details.map((detail) => card(detail, ctx)));
}

function card(p, ctx) {
  const settings = p.settings || {};
  const threads = p.threadDetails || [];
  const aliveThreads = threads.filter((t) => t.state !== 'DEAD' && t.state !== 'PENDING_SHUTDOWN').length;
  const body = [
    h('div', { class: 'facts' },
      fact('Application id', h('span', { class: 'mono' }, p.applicationId)),
      fact('Health', healthOf(p), { 'data-role': 'health' }),
      fact('Guarantee', guarantee(settings['processing.guarantee'])),
      fact('Threads', `${aliveThreads} of ${threads.length || settings['num.stream.threads'] || 0} alive`),
      fact('Uptime', p.uptimeSeconds !== undefined ? duration(p.uptimeSeconds) : '—',
        { title: p.startedAt ? `Started ${new Date(p.startedAt).toLocaleString()}` : '' }),
      fact('Standby replicas', settings['num.standby.replicas']),
      fact('Commit interval', settings['commit.interval.ms'] !== undefined ? `${num(settings['commit.interval.ms'])} ms` : '—'),
      fact('Thread replacements', num(p.threadReplacements)),
      fact('Group lag', p.groupLag && !p.groupLag.error ? h('a', { href: `#/progress/${encodeURIComponent(p.name)}` }, `${num(p.groupLag.totalLag)} records`) : '—',
        { title: 'Records the whole group has yet to process', 'data-role': 'group-lag' }),
      fact('Instances', p.cluster ? h('a', { href: `#/cluster/${encodeURIComponent(p.name)}` }, `${p.cluster.instances.length}`) : '—'),
      fact('Partitions here', num((p.partitions && p.partitions.active.length) || 0)),
      fact('Stores', p.stores && p.stores.length ? p.stores.map((store, i) => [i ? ', ' : '', h('a', { href: `#/stores/${encodeURIComponent(p.name)}`, class: 'mono' }, store)]) : 'none')),
  ];
  if (p.loadError) {
    body.push(h('div', { class: 'error-box' }, p.loadError));
  }
  if (p.crashLoop) {
    body.push(h('div', { class: 'error-box', 'data-role': 'crash-loop' }, p.crashLoop));
  }
  if (p.lastError) {
    body.push(h('div', null, h('div', { class: 'fact-label' }, 'Last error'),
      h('div', { class: 'error-box', 'data-role': 'last-error' }, p.lastError)));
  }
  if (threads.length) {
    body.push(table(['Thread', 'State', 'Active tasks', 'Standby tasks'], threads.map((t) => h('tr', null,
      h('td', { class: 'mono nowrap', title: t.name }, shortThread(t.name, p.applicationId)),
      h('td', null, pill(t.state, t.state === 'RUNNING' ? 'ok' : t.state === 'DEAD' ? 'bad' : 'warn')),
      h('td', null, t.activeTasks.length ? t.activeTasks.map((task) => h('span', { class: 'chip' }, task)) : h('span', { class: 'faint' }, 'none')),
      h('td', null, t.standbyTasks.length ? t.standbyTasks.map((task) => h('span', { class: 'chip standby' }, task)) : h('span', { class: 'faint' }, 'none'))))));
  }
  if (p.asyncSteps && p.asyncSteps.length) {
    body.push(h('div', null, h('h3', { class: 'section-title' }, 'Async steps'),
      table(['Step', 'State', { text: 'In flight', attrs: { class: 'num' } }, { text: 'Buffered', attrs: { class: 'num' } },
        { text: 'Succeeded', attrs: { class: 'num' } }, { text: 'Failed', attrs: { class: 'num' } },
        { text: 'Dead-lettered', attrs: { class: 'num' } }, { text: 'Mean latency', attrs: { class: 'num' } }],
      p.asyncSteps.map((s) => h('tr', null, h('td', { class: 'mono' }, s.step),
        h('td', null, s.error ? pill('FAILED', 'bad', { title: s.error }) : s.running ? pill('RUNNING', 'ok') : pill('STOPPED', 'idle')),
        h('td', { class: 'num' }, num(s.inFlight)), h('td', { class: 'num' }, num(s.buffered)),
        h('td', { class: 'num' }, num(s.succeeded)), h('td', { class: 'num' }, num(s.failed)),
        h('td', { class: 'num' }, num(s.deadLettered)), h('td', { class: 'num' }, `${s.meanLatencyMs} ms`))))));
  }
  const head = h('div', { class: 'section-title' },
    h('h2', null, h('a', { href: `#/topology/${encodeURIComponent(p.name)}`, title: 'Topology' }, p.name)),
    pill(stateLabel(p), stateTone(p), { 'data-role': 'state' }));
  return panel(head, body, { actions: actions(p, ctx), attrs: { class: 'panel processor-card', 'data-processor': p.name, 'data-key': p.name } });
}

function healthOf(p) {
  if (p.failed) {
    return pill('DOWN', 'bad');
  }
  if (!p.started) {
    return pill('STOPPED', 'idle', { title: 'Stopped on purpose: does not count against health' });
  }
  if (p.restoring || p.state !== 'RUNNING') {
    return pill('NOT READY', 'warn', { title: 'Alive, but not ready: starting, rebalancing or restoring' });
  }
  return pill('UP', 'ok');
}

function guarantee(value) {
  if (!value) {
    return '—';
  }
  return value === 'at_least_once' ? 'at-least-once' : value.startsWith('exactly_once') ? 'exactly-once' : value;
}

function shortThread(name, applicationId) {
  const i = name.indexOf('-StreamThread-');
  return i >= 0 ? `StreamThread-${name.slice(i + 14)}` : name.replace(applicationId + '-', '');
}

function actions(p, ctx) {
  const allowed = mayOperate(p.name);
  const session = currentSession();
  const buttons = ACTIONS.map(({ action, label, when, confirm, danger }) => {
    const applies = when(p);
    const button = h('button', {
      type: 'button', class: `button small${danger ? ' danger' : ''}`, 'data-action': action, 'data-key': action,
      disabled: !allowed || !applies,
      title: !allowed ? lockedReason(session) : !applies ? `Cannot ${label.toLowerCase()} in this state` : null,
    }, label);
    button.addEventListener('click', async () => {
      if (confirm) {
        const [heading, text, ok] = CONFIRMATIONS[action](p.name);
        if (!(await ctx.confirm(heading, text, ok))) {
          return;
        }
      }
      button.disabled = true;
      try {
        const result = action === 'reset' ? await runAction(p.name, 'restart', { cleanUp: true })
          : await runAction(p.name, action);
        ctx.toast(`${p.name}: ${label.toLowerCase()} done (${result.paused ? 'PAUSED' : result.state})`);
      } catch (e) {
        ctx.toast(`${p.name}: ${label.toLowerCase()} failed: ${describe(e)}`, 'bad');
      }
      await ctx.refreshNow();
    });
    return button;
  });
  if (!allowed) {
    buttons.unshift(h('span', { class: 'locked', 'data-role': 'read-only', title: lockedReason(session) },
      session && session.readOnly ? 'Read-only endpoint'
        : session && session.signIn ? 'Read-only: sign in to operate' : 'Read-only'));
  }
  return h('div', { class: 'actions' }, buttons);
}

function lockedReason(session) {
  return session && session.readOnly
    ? `The streams endpoint is read-only: set ${session.readOnly} to unrestricted (and management.endpoints.access.max-permitted, if set) to operate processors here`
    : 'This user may not operate processors';
}
