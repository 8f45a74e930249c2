// Topology: each sub-topology as a graph of its sources, processors, stores and sinks,
// the topics that join sub-topologies, and async steps, laid out by dagre in Cytoscape.js.
import { endpoint, getJson } from '../api.js';
import { empty, h, panel, replace } from '../dom.js';

export const title = 'Topology';

const KINDS = {
  source: { label: 'Source', colour: '#188038', fill: '#e6f4ea', shape: 'round-rectangle' },
  processor: { label: 'Processor', colour: '#1a73e8', fill: '#e8f0fe', shape: 'rectangle' },
  sink: { label: 'Sink', colour: '#c26401', fill: '#fef3e2', shape: 'round-rectangle' },
  store: { label: 'State store', colour: '#8430ce', fill: '#f3e8fd', shape: 'barrel' },
  topic: { label: 'Repartition / internal topic', colour: '#5f6368', fill: '#f1f3f4', shape: 'cut-rectangle' },
  async: { label: 'Async step', colour: '#007b83', fill: '#e0f5f6', shape: 'hexagon' },
};

let libraries;

/** Cytoscape.js, dagre and Cytoscape's dagre layout, from the WebJars, once. */
function loadLibraries() {
  if (!libraries) {
    const load = (src) => new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`Could not load ${src}: is its WebJar on the classpath?`));
      document.head.append(script);
    });
    libraries = Promise.all([load('lib/cytoscape/dist/cytoscape.min.js'), load('lib/dagre/dist/dagre.min.js')])
      .then(() => load('lib/cytoscape-dagre/cytoscape-dagre.js'));
    libraries.catch(() => {
      libraries = null;
    });
  }
  return libraries;
}

/** Short labels: KSTREAM-FLATMAPVALUES-0000000001 reads FLATMAPVALUES #1. */
function shortName(name) {
  return name.replace(/^(KSTREAM|KTABLE)-/, '').replace(/-0*(\d+)$/, ' #$1');
}

/**
 * The graph's elements: one node per topology node (sources, processors, sinks), one per
 * store, one per topic that joins sub-topologies, one per async step.
 */
export function elements(topology) {
  const nodes = [];
  const edges = [];
  const sinksByTopic = new Map();
  const sourcesByTopic = new Map();
  const asyncSinks = new Map();
  const asyncSources = new Map();
  const stores = new Set();
  const addEdge = (source, target, kind) => edges.push({ data: { id: `e:${source}>${target}`, source, target, kind } });
  for (const sub of topology.subtopologies) {
    const parent = `sub:${sub.id}`;
    nodes.push({ data: { id: parent, kind: 'subtopology', label: `Sub-topology ${sub.id}` } });
    for (const source of sub.sources) {
      const topics = source.topicPattern ? [`/${source.topicPattern}/`] : source.topics;
      nodes.push({ data: { id: `n:${source.name}`, parent, kind: 'source', name: source.name, subtopology: sub.id,
        label: source.asyncStep ? `results of ${source.asyncStep}`
          : topics.every((topic) => source.name.includes(topic)) ? shortName(source.name) : `${shortName(source.name)}\n${topics.join(', ')}`,
        topics, successors: source.successors, asyncStep: source.asyncStep } });
      topics.forEach((topic) => (sourcesByTopic.get(topic) || sourcesByTopic.set(topic, []).get(topic)).push(source.name));
      if (source.asyncStep) {
        asyncSources.set(source.asyncStep, source.name);
      }
    }
    for (const processor of sub.processors) {
      nodes.push({ data: { id: `n:${processor.name}`, parent, kind: 'processor', name: processor.name, subtopology: sub.id,
        label: shortName(processor.name), stores: processor.stores, successors: processor.successors } });
      for (const store of processor.stores) {
        if (!stores.has(store)) {
          stores.add(store);
          nodes.push({ data: { id: `s:${store}`, parent, kind: 'store', name: store, label: store } });
        }
        addEdge(`n:${processor.name}`, `s:${store}`, 'store');
      }
    }
    for (const sink of sub.sinks) {
      nodes.push({ data: { id: `n:${sink.name}`, parent, kind: 'sink', name: sink.name, subtopology: sub.id,
        label: sink.asyncStep ? `requests of ${sink.asyncStep}`
          : (sink.topic && sink.name.includes(sink.topic)) ? shortName(sink.name) : `${shortName(sink.name)}\n${sink.topic || 'dynamic topic'}`,
        topic: sink.topic, successors: sink.successors, asyncStep: sink.asyncStep } });
      if (sink.topic) {
        (sinksByTopic.get(sink.topic) || sinksByTopic.set(sink.topic, []).get(sink.topic)).push(sink.name);
      }
      if (sink.asyncStep) {
        asyncSinks.set(sink.asyncStep, sink.name);
      }
    }
    for (const node of [...sub.sources, ...sub.processors, ...sub.sinks]) {
      for (const successor of node.successors) {
        addEdge(`n:${node.name}`, `n:${successor}`, 'flow');
      }
    }
  }
  // A topic one sub-topology writes and another reads: a repartition (or through) topic.
  for (const [topic, sinks] of sinksByTopic) {
    const readers = sourcesByTopic.get(topic);
    if (!readers) {
      continue;
    }
    nodes.push({ data: { id: `t:${topic}`, kind: 'topic', name: topic, label: topic } });
    sinks.forEach((sink) => addEdge(`n:${sink}`, `t:${topic}`, 'flow'));
    readers.forEach((reader) => addEdge(`t:${topic}`, `n:${reader}`, 'flow'));
  }
  for (const [step, sink] of asyncSinks) {
    nodes.push({ data: { id: `a:${step}`, kind: 'async', name: step, label: `async: ${step}` } });
    addEdge(`n:${sink}`, `a:${step}`, 'flow');
    if (asyncSources.has(step)) {
      addEdge(`a:${step}`, `n:${asyncSources.get(step)}`, 'flow');
    }
  }
  for (const global of topology.globalStores || []) {
    const parent = `global:${global.id}`;
    nodes.push({ data: { id: parent, kind: 'subtopology', label: `Global store ${global.id}` } });
    for (const store of global.stores) {
      nodes.push({ data: { id: `s:${store}`, parent, kind: 'store', name: store, label: `${store}\n(global)`,
        topics: global.source } });
    }
  }
  return [...nodes, ...edges];
}

function style() {
  const styles = [
    { selector: 'node', style: {
      label: 'data(label)', 'font-size': 11, 'font-family': 'system-ui, sans-serif', color: '#1d2127',
      'text-wrap': 'wrap', 'text-max-width': 150, 'text-valign': 'center', 'text-halign': 'center',
      width: 164, height: 38, 'border-width': 1.5 } },
    { selector: 'node[kind = "subtopology"]', style: {
      'background-color': '#fafbfc', 'border-color': '#c9ced6', 'border-style': 'dashed', 'border-width': 1,
      'text-valign': 'top', 'text-halign': 'center', 'font-weight': 600, color: '#5c6570', padding: 14, shape: 'round-rectangle' } },
    { selector: 'edge', style: {
      width: 1.4, 'line-color': '#9aa3ad', 'target-arrow-color': '#9aa3ad', 'target-arrow-shape': 'triangle',
      'curve-style': 'bezier', 'arrow-scale': 0.9 } },
    { selector: 'edge[kind = "store"]', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none', 'line-color': '#b58ee0' } },
    { selector: ':selected', style: { 'border-width': 3, 'border-color': '#0b5cad', 'overlay-opacity': 0 } },
  ];
  for (const [kind, look] of Object.entries(KINDS)) {
    styles.push({ selector: `node[kind = "${kind}"]`, style: {
      shape: look.shape, 'background-color': look.fill, 'border-color': look.colour } });
  }
  styles.push({ selector: 'node[kind = "store"]', style: { height: 44, width: 150 } });
  styles.push({ selector: 'node[kind = "topic"]', style: { height: 30, 'font-family': 'ui-monospace, monospace', 'font-size': 10 } });
  return styles;
}

export async function render(container, ctx) {
  if (!ctx.processor || !endpoint('streams')) {
    container.append(empty('No processor to show.'));
    return null;
  }
  const url = `${endpoint('streams')}/${encodeURIComponent(ctx.processor)}`;
  const detail = await getJson(url);
  if (!detail.topology) {
    container.append(empty(`${ctx.processor} has not been started yet, so its topology is not built.`));
    return null;
  }
  const graph = h('div', { class: 'graph', id: 'graph' });
  const info = h('div', { class: 'node-info', id: 'node-info' });
  const legend = h('div', { class: 'legend', id: 'topology-legend' });
  const fit = h('button', { type: 'button', class: 'button small' }, 'Fit');
  const description = h('details', null, h('summary', { class: 'muted' }, 'Kafka Streams\' description'),
    h('pre', { class: 'json' }, detail.topology.description));
  container.append(h('div', { class: 'topology' },
    panel(h('div', { class: 'section-title' }, h('h2', null, `${ctx.processor}`),
      h('span', { class: 'muted' }, `${detail.topology.subtopologies.length} sub-topologies`)), graph,
    { actions: fit, flush: true }),
    h('div', { class: 'grid side' }, panel('Node', info), panel('Legend', legend), panel('Description', description))));
  replace(info, h('p', { class: 'muted' }, 'Select a node to see its details.'));
  try {
    await loadLibraries();
  } catch (e) {
    replace(graph, empty(e.message));
    return null;
  }
  let cy = draw(graph, info, legend, detail.topology);
  let drawn = detail.topology.description;
  fit.addEventListener('click', () => cy.fit(undefined, 24));
  // A phone turned round, a window resized, the page laid out after the graph: the
  // graph fills its box as it is now.
  let resizing;
  const observer = new ResizeObserver(() => {
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      cy.resize();
      cy.fit(undefined, 20);
    }, 100);
  });
  observer.observe(graph);
  return {
    async refresh(c) {
      const latest = await getJson(`${endpoint('streams')}/${encodeURIComponent(c.processor)}`);
      // Only a new start can change the topology: redraw then, not on every refresh.
      if (latest.topology && latest.topology.description !== drawn) {
        cy.destroy();
        cy = draw(graph, info, legend, latest.topology);
        drawn = latest.topology.description;
      }
    },
    dispose() {
      observer.disconnect();
      cy.destroy();
      delete window.tributaryDashboard;
    },
  };
}

function draw(graph, info, legend, topology) {
  const cy = window.cytoscape({
    container: graph,
    elements: elements(topology),
    style: style(),
    // Top to bottom: a topology is a long chain, and nodes are wider than tall.
    layout: { name: 'dagre', rankDir: 'TB', nodeSep: 22, rankSep: 30, edgeSep: 8, padding: 20 },
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 2.5,
    autoungrabify: true,
  });
  cy.on('tap', 'node', (event) => replace(info, nodeInfo(event.target.data())));
  const counts = {};
  cy.nodes().forEach((node) => {
    counts[node.data('kind')] = (counts[node.data('kind')] || 0) + 1;
  });
  replace(legend, Object.entries(KINDS).map(([kind, look]) => h('span', { 'data-kind': kind },
    h('span', { class: 'swatch', style: { background: look.fill, border: `1.5px solid ${look.colour}` } }),
    `${look.label} (${counts[kind] || 0})`)));
  graph.dataset.nodes = String(cy.nodes().filter((n) => n.data('kind') !== 'subtopology').length);
  // For tests and the curious: the graph as drawn.
  window.tributaryDashboard = { topology: cy };
  return cy;
}

function nodeInfo(data) {
  const rows = [['Kind', (KINDS[data.kind] || { label: data.kind }).label], ['Name', data.name]];
  if (data.subtopology !== undefined) {
    rows.push(['Sub-topology', data.subtopology]);
  }
  if (data.topics) {
    rows.push(['Topics', data.topics.join(', ')]);
  }
  if (data.topic) {
    rows.push(['Topic', data.topic]);
  }
  if (data.stores && data.stores.length) {
    rows.push(['Stores', data.stores.join(', ')]);
  }
  if (data.asyncStep) {
    rows.push(['Async step', data.asyncStep]);
  }
  if (data.successors) {
    rows.push(['Next', data.successors.length ? data.successors.join(', ') : 'none']);
  }
  return h('dl', null, rows.map(([label, value]) => [h('dt', null, label), h('dd', { class: 'mono' }, String(value))]));
}
