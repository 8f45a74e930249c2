// The dashboard's shell: session, navigation, the processor picker, the refresh loop.
import { ApiError, describe, endpoint, getJson, loadSession } from './api.js';
import { h, replace } from './dom.js';
import * as processorsView from './views/processors.js';
import * as clusterView from './views/cluster.js';
import * as progressView from './views/progress.js';
import * as topologyView from './views/topology.js';
import * as storesView from './views/stores.js';
import * as errorsView from './views/errors.js';

const VIEWS = {
  processors: processorsView,
  cluster: clusterView,
  progress: progressView,
  topology: topologyView,
  stores: storesView,
  errors: errorsView,
};

const REFRESH_MILLIS = 3000;

const state = {
  session: null,
  processors: [],
  processor: null,
  viewName: null,
  view: null,
  live: true,
  lastUpdate: 0,
  refreshing: false,
};

const $ = (id) => document.getElementById(id);

function route() {
  const [, name, processor] = (location.hash || '').match(/^#\/([^/]*)\/?(.*)$/) || [];
  return { name: VIEWS[name] ? name : 'processors', processor: processor ? decodeURIComponent(processor) : null };
}

export function navigate(name, processor = state.processor) {
  const hash = `#/${name}${processor && name !== 'processors' ? '/' + encodeURIComponent(processor) : ''}`;
  if (location.hash !== hash) {
    location.hash = hash;
  } else {
    show();
  }
}

function toast(text, tone) {
  const el = h('div', { class: tone === 'bad' ? 'toast bad' : 'toast', role: 'status' }, text);
  $('toasts').append(el);
  setTimeout(() => el.remove(), tone === 'bad' ? 8000 : 3500);
}

function confirmAction(title, text, okLabel = 'Confirm') {
  const dialog = $('confirm');
  replace($('confirm-title'), title);
  replace($('confirm-text'), text);
  replace($('confirm-ok'), okLabel);
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'),
    { once: true }));
}

function context() {
  return {
    session: state.session,
    processors: state.processors,
    processor: state.processor,
    summary: state.processors.find((p) => p.name === state.processor) || null,
    toast,
    confirm: confirmAction,
    refreshNow: () => tick(true),
    navigate,
  };
}

function banner(content, tone) {
  const el = $('banner');
  if (!content) {
    el.hidden = true;
    return;
  }
  el.className = tone === 'bad' ? 'banner bad' : 'banner';
  replace(el, content);
  el.hidden = false;
}

function missingEndpointsBanner(missing) {
  const include = ['health', ...missing].join(',');
  return [h('strong', null, 'Some data is not available. '),
    `The Actuator endpoint${missing.length > 1 ? 's' : ''} `,
    missing.map((id, i) => [i > 0 ? ', ' : '', h('code', null, id)]),
    ` ${missing.length > 1 ? 'are' : 'is'} not exposed over HTTP. Add ${missing.length > 1 ? 'them' : 'it'} to `,
    h('code', null, state.session.exposureProperty), ', for example ',
    h('code', null, `${state.session.exposureProperty}=${include}`), '.'];
}

function renderUser() {
  const session = state.session;
  const el = $('user');
  if (session.user) {
    replace(el, 'Signed in as ', h('strong', null, session.user));
  } else if (session.signIn) {
    replace(el, h('span', { class: 'muted' }, 'Read-only'),
      h('a', { class: 'button small', href: session.signIn, id: 'sign-in' }, 'Sign in'));
  } else {
    replace(el);
  }
}

function renderPicker() {
  const select = $('processor');
  const names = state.processors.map((p) => p.name);
  const current = Array.from(select.options).map((o) => o.value);
  if (names.join('\n') !== current.join('\n')) {
    replace(select, names.map((name) => h('option', { value: name }, name)));
  }
  select.value = state.processor || '';
  select.disabled = names.length === 0;
}

function renderTabs() {
  for (const a of document.querySelectorAll('#tabs a')) {
    const name = a.dataset.view;
    a.href = `#/${name}${state.processor && name !== 'processors' ? '/' + encodeURIComponent(state.processor) : ''}`;
    if (name === state.viewName) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
}

async function refreshOverall() {
  const pill = $('overall');
  const url = endpoint('health');
  if (!url) {
    pill.hidden = true;
    return;
  }
  try {
    const health = await getJson(url);
    setOverall(health.status);
  } catch (e) {
    // Health answers 503 when down, with its body.
    if (e instanceof ApiError && e.body && e.body.status) {
      setOverall(e.body.status);
    } else {
      setOverall('UNKNOWN');
    }
  }
}

function setOverall(status) {
  const pill = $('overall');
  pill.hidden = false;
  pill.dataset.status = status;
  pill.dataset.tone = status === 'UP' ? 'ok' : (status === 'DOWN' || status === 'OUT_OF_SERVICE') ? 'bad' : 'warn';
  replace(pill, `Health ${status}`);
}

async function refreshProcessors() {
  const url = endpoint('streams');
  if (!url) {
    state.processors = [];
    return;
  }
  const answer = await getJson(url);
  state.processors = answer.processors || [];
  if (!state.processor || !state.processors.some((p) => p.name === state.processor)) {
    state.processor = state.processors.length ? state.processors[0].name : null;
  }
}

async function tick(force = false) {
  if (state.refreshing) {
    // An action asked for fresh data while a refresh was under way: one more after it.
    state.again = state.again || force;
    return;
  }
  if (!force && (!state.live || document.hidden)) {
    return;
  }
  state.refreshing = true;
  const live = $('live');
  try {
    await Promise.all([refreshProcessors(), refreshOverall()]);
    renderPicker();
    renderTabs();
    if (state.view && state.view.refresh) {
      await state.view.refresh(context());
    }
    state.lastUpdate = Date.now();
    live.classList.remove('stale');
    replace($('updated'), state.live ? `Updated ${new Date(state.lastUpdate).toLocaleTimeString()}` : 'Paused');
    if (!state.session.missingEndpoints.length) {
      banner(null);
    }
  } catch (e) {
    live.classList.add('stale');
    replace($('updated'), 'Not updated');
    if (e instanceof ApiError && e.status === 404 && e.url === endpoint('streams')) {
      banner(missingEndpointsBanner(['streams']));
    } else {
      banner(describe(e), 'bad');
    }
  } finally {
    state.refreshing = false;
  }
  if (state.again) {
    state.again = false;
    await tick(true);
  }
}

async function show() {
  const { name, processor } = route();
  if (processor && state.processors.some((p) => p.name === processor)) {
    state.processor = processor;
  }
  if (state.view && state.view.dispose) {
    state.view.dispose();
  }
  state.viewName = name;
  renderPicker();
  renderTabs();
  document.title = `${VIEWS[name].title} · ${state.session.application} · Tributary`;
  const container = $('view');
  replace(container);
  container.dataset.view = name;
  try {
    state.view = await VIEWS[name].render(container, context());
  } catch (e) {
    state.view = null;
    replace(container, h('div', { class: 'empty' }, describe(e)));
  }
}

async function start() {
  try {
    state.session = await loadSession();
  } catch (e) {
    banner(`The dashboard could not start: ${describe(e)}`, 'bad');
    return;
  }
  replace($('application'), state.session.application);
  renderUser();
  if (state.session.missingEndpoints.length) {
    banner(missingEndpointsBanner(state.session.missingEndpoints));
  }
  try {
    await Promise.all([refreshProcessors(), refreshOverall()]);
  } catch (e) {
    banner(describe(e), 'bad');
  }
  $('processor').addEventListener('change', (event) => {
    state.processor = event.target.value;
    navigate(state.viewName);
  });
  $('live').addEventListener('click', () => {
    state.live = !state.live;
    $('live').setAttribute('aria-pressed', String(state.live));
    $('live').title = state.live ? 'Refreshes by itself; click to pause' : 'Paused; click to refresh by itself again';
    replace($('updated'), state.live ? 'Resuming…' : 'Paused');
    if (state.live) {
      tick(true);
    }
  });
  window.addEventListener('hashchange', show);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      tick();
    }
  });
  await show();
  replace($('updated'), `Updated ${new Date().toLocaleTimeString()}`);
  document.body.dataset.ready = 'true';
  setInterval(() => tick(), REFRESH_MILLIS);
}

start();
