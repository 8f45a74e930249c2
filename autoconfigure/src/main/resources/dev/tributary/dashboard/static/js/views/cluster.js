// The cluster: every instance of the processor with its partitions, and where each
// store's partitions live, from Kafka Streams' metadata (any instance knows all).
import { describe, endpoint, getJson } from '../api.js';
import { PALETTE, empty, h, panel, pill, replace, refreshingView, table, topic as topicName, update } from '../dom.js';

export const title = 'Cluster';

export function render(container, ctx) {
  return refreshingView(container, ctx, 'cluster', draw);
}

function splitPartition(name) {
  const i = name.lastIndexOf('-');
  return { topic: name.slice(0, i), partition: Number(name.slice(i + 1)) };
}

async function draw(root, ctx) {
  if (!ctx.processor || !endpoint('streams')) {
    replace(root, empty('No processor to show.'));
    return;
  }
  const base = `${endpoint('streams')}/${encodeURIComponent(ctx.processor)}`;
  const stores = endpoint('statestores');
  const [cluster, placement] = await Promise.all([getJson(`${base}/cluster`),
    stores ? getJson(stores).catch((e) => ({ error: describe(e) })) : Promise.resolve(null)]);
  const colours = new Map(cluster.instances.map((instance, i) => [instance.host, PALETTE[i % PALETTE.length]]));
  const parts = [instancesPanel(cluster, colours), partitionsPanel(cluster, colours)];
  parts.push(storesPanel(ctx.processor, placement, colours));
  update(root, parts);
}

function instancesPanel(cluster, colours) {
  const note = cluster.advertised ? null : h('p', { class: 'note' },
    'This instance advertises no application.server, so Kafka Streams cannot tell the other instances: only this one is shown.');
  const rows = cluster.instances.map((instance) => h('tr', { 'data-host': instance.host },
    h('td', { class: 'host-cell' }, h('span', { class: 'swatch', style: { background: colours.get(instance.host) } }),
      h('span', { class: 'mono' }, instance.host), instance.local ? h('span', { class: 'tag', style: { marginLeft: '6px' } }, 'this instance') : null),
    h('td', null, instance.activePartitions.length
      ? instance.activePartitions.map((p) => h('span', { class: 'chip' }, topicName(p.replace(/-\d+$/, ''), cluster.applicationId), p.slice(p.lastIndexOf('-')))) : h('span', { class: 'faint' }, 'none')),
    h('td', null, instance.standbyPartitions.length
      ? instance.standbyPartitions.map((p) => h('span', { class: 'chip standby' }, topicName(p.replace(/-\d+$/, ''), cluster.applicationId), p.slice(p.lastIndexOf('-')))) : h('span', { class: 'faint' }, 'none')),
    h('td', null, [...instance.stores.map((s) => h('span', { class: 'chip' }, s)),
      ...instance.standbyStores.map((s) => h('span', { class: 'chip standby', title: 'standby' }, s))])));
  return panel(h('div', { class: 'section-title' }, h('h2', null, 'Instances'),
    h('span', { class: 'muted' }, `${cluster.instances.length} of application ${cluster.applicationId}`),
    pill(cluster.state, cluster.state === 'RUNNING' ? 'ok' : 'warn')),
  [note, cluster.instances.length
    ? table(['Instance', 'Active partitions', 'Standby partitions', 'Stores'], rows, { id: 'instances' })
    : empty('No instance holds partitions yet (the group is still forming).')], { flush: !note });
}

function partitionsPanel(cluster, colours) {
  const topics = new Map();
  for (const instance of cluster.instances) {
    for (const [list, role] of [[instance.activePartitions, 'active'], [instance.standbyPartitions, 'standby']]) {
      for (const name of list) {
        const { topic, partition } = splitPartition(name);
        if (!topics.has(topic)) {
          topics.set(topic, new Map());
        }
        const cell = topics.get(topic).get(partition) || { active: null, standby: [] };
        if (role === 'active') {
          cell.active = instance.host;
        } else {
          cell.standby.push(instance.host);
        }
        topics.get(topic).set(partition, cell);
      }
    }
  }
  if (!topics.size) {
    return panel('Input partitions', empty('No partitions assigned.'));
  }
  const rows = [...topics.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([topic, cells]) => {
    const max = Math.max(...cells.keys());
    const row = [];
    for (let partition = 0; partition <= max; partition++) {
      row.push(cellOf(partition, cells.get(partition), colours));
    }
    return h('div', { class: 'pmap-row' }, h('div', { class: 'pmap-topic' }, topicName(topic, cluster.applicationId)), h('div', { class: 'pmap-cells' }, row));
  });
  return panel('Input partitions', [h('div', { class: 'pmap' }, rows), legend(colours)]);
}

function cellOf(partition, cell, colours) {
  if (!cell || !cell.active) {
    return h('span', { class: 'pcell none', title: `partition ${partition}: no active instance` }, partition,
      cell && cell.standby.length ? standbyDot(cell.standby[0], colours) : null);
  }
  const title = `partition ${partition}: active on ${cell.active}${cell.standby.length ? `, standby on ${cell.standby.join(', ')}` : ''}`;
  return h('span', { class: 'pcell', style: { background: colours.get(cell.active) }, title }, partition,
    cell.standby.length ? standbyDot(cell.standby[0], colours) : null);
}

function standbyDot(host, colours) {
  return h('span', { class: 'sb', style: { background: colours.get(host) || '#999' } });
}

function legend(colours) {
  return h('div', { class: 'legend', style: { marginTop: '10px' } },
    [...colours.entries()].map(([host, colour]) => h('span', null, h('span', { class: 'swatch', style: { background: colour } }), host)),
    h('span', null, h('span', { class: 'swatch', style: { background: 'var(--idle-bg)' } }), 'unassigned'),
    h('span', { class: 'faint' }, 'dot: standby copy'));
}

function storesPanel(processor, placement, colours) {
  if (!placement) {
    return panel('Stores', empty('Expose the statestores endpoint to see where each store\'s partitions live.'));
  }
  if (placement.error) {
    return panel('Stores', h('div', { class: 'error-box' }, placement.error));
  }
  const mine = (placement.processors || []).find((p) => p.name === processor);
  const stores = mine ? mine.stores : [];
  if (!stores.length) {
    return panel('Stores', empty('This processor has no state stores.'));
  }
  const rows = stores.map((store) => {
    const cells = new Map();
    for (const instance of store.instances) {
      for (const partition of instance.activePartitions) {
        const cell = cells.get(partition) || { active: null, standby: [] };
        cell.active = instance.host;
        cells.set(partition, cell);
      }
      for (const partition of instance.standbyPartitions) {
        const cell = cells.get(partition) || { active: null, standby: [] };
        cell.standby.push(instance.host);
        cells.set(partition, cell);
      }
    }
    const max = cells.size ? Math.max(...cells.keys()) : -1;
    const row = [];
    for (let partition = 0; partition <= max; partition++) {
      row.push(cellOf(partition, cells.get(partition), colours));
    }
    return h('tr', { 'data-store': store.name },
      h('td', { class: 'mono' }, store.name, store.global ? h('span', { class: 'tag', style: { marginLeft: '6px' } }, 'global') : null),
      h('td', null, store.type ? h('span', { class: 'tag' }, store.type.toLowerCase().replaceAll('_', ' ')) : h('span', { class: 'faint' }, 'not open here')),
      h('td', null, store.global ? h('span', { class: 'muted' }, 'a full copy on every instance') : row.length ? h('div', { class: 'pmap-cells' }, row) : h('span', { class: 'faint' }, 'no partitions assigned')));
  });
  return panel('Stores', table(['Store', 'Type', 'Partitions by instance'], rows, { id: 'store-placement' }), { flush: true });
}
