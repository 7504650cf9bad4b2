// The queue: counts by status, their history, unfinished work by type, and the newest items (with cancel).
import { el, byId, fillBody, setText, ago, number } from './dom.js';
import { lineChart } from './charts.js';
import { cancelButton } from './actions.js';

const STATUSES = ['pending', 'claimed', 'running', 'completed', 'failed', 'cancelled'];
const UNFINISHED = new Set(['pending', 'claimed', 'running']);

/** Count tiles from /status work_queue (refreshed with every poll). */
export function renderCounts(queue) {
  const tiles = [...STATUSES, 'total'].map(name =>
    el('div', { class: 'tile ' + name }, el('span', { class: 'tile-name', text: name }),
      el('span', { class: 'tile-value', id: 'count-' + name, text: number(queue[name]) })));
  byId('queue-counts').replaceChildren(...tiles);
}

/** The history chart and the by-type table from /queue/history. */
export function renderHistory(history) {
  const samples = history.samples;
  const box = byId('queue-chart');
  if (samples.length === 0) {
    box.replaceChildren(el('p', { class: 'muted', text: 'No samples yet (one is taken every ' + history.interval_seconds + ' s while a leader is known).' }));
  } else {
    const end = samples[samples.length - 1].time;
    // The axis spans the samples there are (at least a minute), up to the minutes asked for.
    const start = Math.max(end - history.minutes * 60, Math.min(samples[0].time, end - 60));
    const series = ['pending', 'claimed', 'running'].map(name => ({ name, cls: 's-' + name, points: samples.map(s => [s.time, s[name]]) }));
    box.replaceChildren(lineChart(series, {
      title: 'Pending, claimed and running work over the last ' + history.minutes + ' minutes',
      xMin: start, xMax: end, yMin: 0,
      xLabel: x => x >= end ? 'now' : '−' + ((end - x) < 600 ? ((end - x) / 60).toFixed(1) : Math.round((end - x) / 60)) + ' min',
      yLabel: y => number(y, Number.isInteger(y) ? 0 : 1),
    }));
  }
  setText('queue-chart-caption', `Up to the last ${history.minutes} minutes, one sample every ${history.interval_seconds} s, sampled by ${history.node_id}.`);
  const latest = [...samples].reverse().find(s => s.by_type !== null);
  const types = latest ? Object.entries(latest.by_type) : [];
  fillBody('queue-by-type', types.map(([type, c]) => el('tr', { data: { type } },
    el('td', { text: type }), el('td', { text: number(c.pending) }), el('td', { text: number(c.claimed) }), el('td', { text: number(c.running) }))));
  setText('queue-by-type-note', !latest ? 'No count by type yet: the node serving the queue takes one every few seconds.'
    : types.length === 0 ? 'Nothing unfinished.' : (latest.by_type_truncated ? 'Counts are short: a status holds more than 10,000 items. ' : '') + 'As of ' + ago(latest.time) + '.');
  renderUnplaced(history.unplaced ?? []);
}

const UNPLACED_WHY = {
  no_capable_node: 'no live node runs this type (no jobs file entry)',
  no_healthy_node: 'the nodes that run it are not healthy',
  all_overloaded: 'the nodes that run it are overloaded',
  no_free_slot: 'the nodes that run it have no free slot',
};

/** Pending work the leader's last dispatch round could not place, by type and reason: never silently dropped. */
function renderUnplaced(groups) {
  fillBody('queue-unplaced', groups.map(g => el('tr', { data: { type: g.work_type, reason: g.reason } },
    el('td', { text: g.work_type }), el('td', { text: number(g.count) }),
    el('td', { class: g.reason === 'no_capable_node' ? 'bad' : '', text: UNPLACED_WHY[g.reason] ?? g.reason }),
    el('td', { class: 'mono', text: g.sample_work_ids.join(', ') }))));
  byId('queue-unplaced-box').hidden = groups.length === 0;
}

/** The newest items from /work?limit=N, each unfinished one with a cancel button while actions are on. */
export function renderWorkItems(list) {
  fillBody('work-items', list.items.map(item => el('tr', { data: { workId: item.work_id, status: item.status } },
    el('td', { class: 'mono', text: item.work_id }),
    el('td', { text: item.work_type }),
    el('td', {}, el('span', { class: 'status ' + item.status, text: item.status })),
    el('td', { text: item.claimed_by ?? '–' }),
    el('td', { text: `${item.attempts} / ${item.max_attempts}` }),
    el('td', { text: ago(item.created_at) }),
    el('td', {}, UNFINISHED.has(item.status) ? cancelButton(item.work_id) : null))));
  setText('work-items-note', list.items.length === 0 ? 'The queue is empty.' : '');
}
