// Small DOM helpers. Everything shown is built as elements with text nodes, never as HTML
// strings: the page shows record contents (dead letters, store values) that must not run.

const SVG = 'http://www.w3.org/2000/svg';

/** Creates an element: h('td', {class: 'num'}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

function applyAttrs(el, attrs) {
  if (!attrs) {
    return;
  }
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name === 'style' && typeof value === 'object') {
      Object.assign(el.style, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * Replaces an element's children with new ones, changing the page only where they differ:
 * elements that stay keep their identity (focus, hover, an open menu, a selection), so a
 * refresh every few seconds does not disturb someone reading or clicking. An element that
 * stays keeps its own event listeners; give elements whose behaviour changes a different
 * tag or data-key.
 */
export function update(el, ...children) {
  const fresh = el.cloneNode(false);
  append(fresh, children);
  morphChildren(el, fresh);
  return el;
}

function sameKind(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName
    && (a.nodeType !== Node.ELEMENT_NODE || a.getAttribute('data-key') === b.getAttribute('data-key'));
}

function morphChildren(target, source) {
  const next = Array.from(source.childNodes);
  const current = Array.from(target.childNodes);
  next.forEach((node, i) => {
    const old = current[i];
    if (!old) {
      target.append(node);
    } else if (!sameKind(old, node)) {
      target.replaceChild(node, old);
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      morphElement(old, node);
    } else if (old.nodeValue !== node.nodeValue) {
      old.nodeValue = node.nodeValue;
    }
  });
  for (let i = current.length - 1; i >= next.length; i--) {
    current[i].remove();
  }
}

function morphElement(target, source) {
  for (const { name } of Array.from(target.attributes)) {
    if (!source.hasAttribute(name)) {
      target.removeAttribute(name);
    }
  }
  for (const { name, value } of Array.from(source.attributes)) {
    if (target.getAttribute(name) !== value) {
      target.setAttribute(name, value);
    }
  }
  // Properties that attributes set only at first.
  if ('disabled' in source) {
    target.disabled = source.disabled;
  }
  if (target.tagName === 'DETAILS') {
    target.open = source.open;
  }
  morphChildren(target, source);
}

/**
 * A view drawn into a grid of its own and drawn again, in place, on every refresh.
 * @param draw (root, ctx) => Promise: draws the view's data into root
 */
export async function refreshingView(container, ctx, id, draw) {
  const root = h('div', { class: 'grid', id });
  container.append(root);
  await draw(root, ctx);
  return { refresh: (c) => draw(root, c) };
}

/** The tone of a processor's state: ok, warn, info, bad or idle. */
export function stateTone(processor) {
  if (processor.failed || processor.state === 'ERROR' || processor.state === 'PENDING_ERROR') {
    return 'bad';
  }
  if (!processor.started) {
    return 'idle';
  }
  if (processor.paused) {
    return 'info';
  }
  if (processor.state === 'RUNNING' && !processor.restoring) {
    return 'ok';
  }
  return 'warn';
}

/** What to call a processor's state: PAUSED and RESTORING are not Kafka Streams states. */
export function stateLabel(processor) {
  if (processor.failed && processor.state === 'RUNNING') {
    return 'FAILED';
  }
  if (!processor.started) {
    return processor.state === 'NOT_RUNNING' ? 'STOPPED' : processor.state;
  }
  if (processor.paused) {
    return 'PAUSED';
  }
  if (processor.restoring && processor.state === 'RUNNING') {
    return 'RESTORING';
  }
  return processor.state;
}

export function pill(text, tone, attrs = {}) {
  return h('span', { class: 'pill', 'data-tone': tone, ...attrs }, text);
}

export function fact(label, value, attrs = {}) {
  return h('div', { class: 'fact', ...attrs }, h('div', { class: 'fact-label' }, label),
    h('div', { class: 'fact-value' }, value ?? '—'));
}

export function panel(title, body, { actions, attrs, flush } = {}) {
  return h('section', { class: 'panel', ...attrs },
    h('div', { class: 'panel-head' }, typeof title === 'string' ? h('h2', null, title) : title,
      h('span', { class: 'spacer' }), actions),
    h('div', { class: flush ? 'panel-body flush' : 'panel-body' }, body));
}

export function table(headers, rows, attrs = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', attrs,
      h('thead', null, h('tr', null, headers.map((header) => typeof header === 'string'
        ? h('th', null, header) : h('th', header.attrs, header.text)))),
      h('tbody', null, rows)));
}

export function empty(text) {
  return h('div', { class: 'empty' }, text);
}

const numberFormat = new Intl.NumberFormat();

export function num(value) {
  return (value === null || value === undefined) ? '—' : numberFormat.format(value);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '—';
  }
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) {
    return `${d}d ${hr}h`;
  }
  if (hr > 0) {
    return `${hr}h ${m}m`;
  }
  if (m > 0) {
    return `${m}m ${s % 60}s`;
  }
  return `${s}s`;
}

export function time(epochMillis) {
  if (!epochMillis && epochMillis !== 0) {
    return '—';
  }
  const date = new Date(epochMillis);
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

export function ago(epochMillis) {
  const seconds = (Date.now() - epochMillis) / 1000;
  return seconds < 5 ? 'just now' : `${duration(seconds)} ago`;
}

/** A JSON value, coloured by type, as elements: inline when it is a plain number, text or flag. */
export function jsonView(value) {
  if (value === null || typeof value !== 'object') {
    return h('code', { class: 'json scalar' }, jsonNodes(value, ''));
  }
  return h('pre', { class: 'json' }, jsonNodes(value, ''));
}

function jsonNodes(value, indent) {
  if (value === null || value === undefined) {
    return h('span', { class: 'z' }, 'null');
  }
  if (typeof value === 'string') {
    return h('span', { class: 's' }, JSON.stringify(value));
  }
  if (typeof value === 'number') {
    return h('span', { class: 'n' }, String(value));
  }
  if (typeof value === 'boolean') {
    return h('span', { class: 'b' }, String(value));
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return '[]';
    }
    const parts = ['[\n'];
    value.forEach((item, i) => parts.push(inner, jsonNodes(item, inner), i < value.length - 1 ? ',\n' : '\n'));
    parts.push(indent, ']');
    return parts;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    return '{}';
  }
  const parts = ['{\n'];
  entries.forEach(([key, item], i) => parts.push(inner, h('span', { class: 'k' }, JSON.stringify(key)), ': ',
    jsonNodes(item, inner), i < entries.length - 1 ? ',\n' : '\n'));
  parts.push(indent, '}');
  return parts;
}

/** A small line chart of numbers, newest right. */
export function sparkline(values, { width = 120, height = 24 } = {}) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const known = values.map((v) => (v === null || v === undefined) ? 0 : v);
  if (known.length < 2) {
    return svg;
  }
  const max = Math.max(1, ...known);
  const step = width / (known.length - 1);
  const points = known.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  const area = document.createElementNS(SVG, 'polygon');
  area.setAttribute('class', 'area');
  area.setAttribute('points', `0,${height} ${points.join(' ')} ${width},${height}`);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.append(area, line);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = `max ${num(max)}, now ${num(known[known.length - 1])}`;
  svg.append(title);
  return svg;
}

/**
 * A topic as shown: Kafka Streams' internal topics (repartition, changelog) without the
 * application id they all start with; the full name in the title.
 */
export function topic(name, applicationId) {
  const internal = applicationId && name.startsWith(`${applicationId}-`)
    && (name.endsWith('-repartition') || name.endsWith('-changelog'));
  return internal ? h('span', { class: 'mono', title: name }, h('span', { class: 'faint' }, '…-'),
    name.slice(applicationId.length + 1)) : h('span', { class: 'mono', title: name }, name);
}

/** Eight distinguishable colours for instances. */
export const PALETTE = ['#1a73e8', '#188038', '#e37400', '#a142f4', '#d93025', '#007b83', '#b06000', '#5f6368'];
