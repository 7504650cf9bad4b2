// The leader's latest cluster events, newest first, each told in one line.
import { el, byId, setText, number } from './dom.js';

const TONE = { node_offline: 'bad', work_failed: 'bad', leader_changed: 'warn', model_promoted: 'good', training_complete: 'good' };

function list(ids) {
  return ids?.length ? ids.join(', ') : 'none';
}

/** One line for an event's payload. */
export function describeEvent(name, p) {
  switch (name) {
    case 'leader_changed': return `${p.leader_id} leads now` + (p.previous_leader_id ? ` (was ${p.previous_leader_id})` : '') + (p.consensus ? `, ${p.consensus}` : '');
    case 'node_offline': return `${p.offline_node_id} went offline; work requeued: ${list(p.requeued_work_ids)}, failed: ${list(p.failed_work_ids)}`;
    case 'work_failed': return `${p.work_id} (${p.work_type}) failed for good after ${p.attempts} attempts: ${p.error}`;
    case 'model_promoted': return `${p.config}: ${p.model_path} promoted, Elo ` + (p.previous_elo === null || p.previous_elo === undefined ? '' : number(p.previous_elo, 1) + ' → ') + number(p.elo, 1);
    case 'training_triggered': return `${p.config}: training ${p.work_id} queued (${number(p.games)} games; ${p.reason})`;
    case 'training_complete': return `${p.config}: training ${p.work_id} done on ${p.node} in ${number(p.duration_s, 1)} s (${number(p.games_used)} games)`;
    default: return JSON.stringify(p);
  }
}

/** Renders /events. */
export function renderEvents(events) {
  const items = [...events.events].reverse().map(e => el('li', { class: TONE[e.event] ?? '', data: { event: e.event } },
    el('time', { datetime: e.time, text: new Date(e.time).toLocaleTimeString([], { hour12: false }) }),
    el('span', { class: 'event-name', text: e.event }),
    el('span', { text: describeEvent(e.event, e.payload) })));
  byId('events').replaceChildren(...items);
  setText('events-note', items.length ? `From the leader, ${events.node_id}.` : `No event yet on the leader, ${events.node_id} (a new leader starts with none).`);
}
