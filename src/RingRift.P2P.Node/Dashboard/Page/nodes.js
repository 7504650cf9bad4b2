// The nodes table: every node this node knows, one row each; a node that is down is marked at a glance.
import { el, fillBody, bar, duration, setText } from './dom.js';

// Node id → the refresh at which its row first showed it down (cleared when it is back).
const downSince = new Map();

/** "slots used / slots", and below it each kind, from the node's runner when it answered, else from its last heartbeat. */
function slotsCell(summary, runner) {
  const jobs = runner ? runner.gpu_slots.used + runner.cpu_slots.used : summary?.active_jobs ?? 0;
  const gpu = runner?.gpu_slots.total ?? summary?.gpu_slots ?? 0;
  const cpu = runner?.cpu_slots.total ?? summary?.cpu_slots ?? 0;
  if (gpu + cpu === 0) return el('td', {}, String(jobs), el('div', { class: 'muted small', text: 'no jobs file' }));
  const detail = runner ? `GPU ${runner.gpu_slots.used}/${gpu} · CPU ${runner.cpu_slots.used}/${cpu}` : `GPU ${gpu} · CPU ${cpu}`;
  return el('td', {}, `${jobs} / ${gpu + cpu}`, el('div', { class: 'muted small', text: detail }));
}

function stateCell(node, swim) {
  const parts = [el('span', { class: 'badge ' + (node.alive ? 'ok' : 'down'), text: node.alive ? 'alive' : 'DOWN' })];
  if (swim) parts.push(el('span', { class: 'muted', text: ' SWIM ' + (swim.state ?? 'unknown') }));
  return el('td', {}, parts);
}

function row(node, status, swim, runner, refresh) {
  const summary = node.summary;
  const resources = summary?.resources;
  const role = node.id === status.leader_id ? 'leader' : summary?.role ?? '–';
  const voter = status.voters?.ids?.includes(node.id);
  if (!node.alive && !downSince.has(node.id)) downSince.set(node.id, refresh);
  if (node.alive) downSince.delete(node.id);
  const gpuCell = summary && summary.gpu_count === 0
    ? el('td', { class: 'muted', text: 'no GPU' })
    : el('td', {}, bar(resources?.gpu_memory_percent));
  return el('tr', {
    class: node.alive ? (role === 'leader' ? 'leader' : '') : 'down',
    data: { nodeId: node.id, alive: String(node.alive), ...(node.alive ? {} : { downSinceRefresh: String(downSince.get(node.id)) }) },
  },
  el('td', {}, el('strong', { text: node.id }), el('div', { class: 'muted small', text: node.address ?? '' })),
  el('td', {}, el('span', { class: 'role ' + role, text: role }), voter ? el('span', { class: 'muted small', text: ' voter' }) : null),
  stateCell(node, swim),
  el('td', {}, el('span', { class: 'health ' + node.health, text: node.health })),
  el('td', { text: resources ? (resources.load_score * 100).toFixed(0) + ' %' + (resources.is_overloaded ? ' overloaded' : '') : '–' }),
  el('td', {}, bar(resources?.cpu_percent)),
  el('td', {}, bar(resources?.memory_percent)),
  gpuCell,
  slotsCell(summary, runner),
  el('td', { text: node.self ? 'this node' : node.heard === null ? 'never' : duration(node.heard) + ' ago' }));
}

/** Renders the table from /status, /jobs (for slot use) and /swim/members (when SWIM is on). */
export function renderNodes(status, jobs, swimMembers, refresh) {
  const nodes = [{ id: status.node_id, self: true, alive: true, health: status.self.health, address: null, heard: 0, summary: status.self }];
  for (const [id, peer] of Object.entries(status.peers)) {
    if (id === status.node_id) continue;
    nodes.push({ id, alive: peer.alive, health: peer.health, address: peer.address, heard: peer.heartbeat_age_seconds, summary: peer.summary });
  }
  nodes.sort((a, b) => a.id.localeCompare(b.id));
  const swimById = new Map((swimMembers?.members ?? []).map(m => [m.node_id, m]));
  const runners = new Map((jobs?.nodes ?? []).filter(n => n.answered).map(n => [n.node_id, n.runner]));
  fillBody('nodes', nodes.map(n => row(n, status, swimMembers?.enabled && !n.self ? swimById.get(n.id) ?? {} : null, runners.get(n.id), refresh)));
  const down = nodes.filter(n => !n.alive).length;
  const summary = document.getElementById('node-summary');
  summary.textContent = `${nodes.length} nodes` + (down ? ` · ${down} DOWN` : ' · all alive');
  summary.className = 'pill ' + (down ? 'bad' : 'good');
  setText('leader', status.leader_id ?? 'none');
}
