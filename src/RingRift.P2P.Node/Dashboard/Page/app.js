// The dashboard: polls this node's JSON routes (every second by default, ?refresh=SECONDS from 0.5 to 60;
// training and the queue history every 5 s) and renders each part. A part whose request fails keeps its
// last answer and says why; a rendering bug is reported to the browser, and the polling goes on.
import { getJson, describe } from './api.js';
import { byId, setText, clock } from './dom.js';
import { setup as setupActions } from './actions.js';
import { renderNodes } from './nodes.js';
import { renderCounts, renderHistory, renderWorkItems } from './queue.js';
import { renderJobs, setupLogViewer, TAIL_LINES } from './jobs.js';
import { renderTraining } from './training.js';
import { renderEvents } from './events.js';

const HISTORY_MINUTES = 15;
const refreshMs = (() => {
  const seconds = Number(new URLSearchParams(location.search).get('refresh'));
  return Number.isFinite(seconds) && seconds >= 0.5 && seconds <= 60 ? seconds * 1000 : 1000;
})();
const slowMs = Math.max(5000, refreshMs);

const data = {};
const errors = {};
let refreshes = 0;

const sources = {
  status: () => 'status',
  jobs: () => `jobs?log_lines=${TAIL_LINES}`,
  events: () => 'events?limit=25',
  work: () => 'work?limit=12',
  swim: () => 'swim/members',
  history: () => `queue/history?minutes=${HISTORY_MINUTES}`,
  training: () => 'training/status',
};

async function load(key) {
  try {
    data[key] = await getJson(sources[key]());
    delete errors[key];
  } catch (e) {
    errors[key] = describe(e);
  }
}

function attempt(render) {
  try {
    render();
  } catch (e) {
    reportError(e);
  }
}

function stale(key, noteId) {
  if (!errors[key]) return;
  const note = byId(noteId);
  note.textContent = (data[key] ? 'Showing the last answer; ' : '') + 'the latest request failed: ' + errors[key];
  note.className = 'warning';
}

function renderHeader(status) {
  setText('node-id', status.node_id);
  document.title = status.node_id + ' · RingRift P2P';
  const raft = status.swim_raft;
  setText('epoch', `${status.epoch} (${raft.active_consensus === 'raft' ? 'Raft term' : 'Bully epoch'})`);
  setText('consensus', `${raft.active_consensus} (configured: ${raft.consensus_mode})`);
  setText('membership', raft.membership_mode + (raft.swim.enabled ? ` · SWIM ${raft.swim.alive_count} alive, ${raft.swim.suspected_count} suspect, ${raft.swim.failed_count} failed` : ''));
  const reasons = [raft.consensus_fallback_reason && 'Consensus fallback: ' + raft.consensus_fallback_reason,
    raft.swim.fallback_reason && 'Membership fallback: ' + raft.swim.fallback_reason].filter(Boolean);
  const fallback = byId('fallback');
  fallback.hidden = reasons.length === 0;
  fallback.textContent = reasons.join(' · ');
}

function renderConnection() {
  const pill = byId('connection');
  pill.textContent = errors.status ? 'node not answering: ' + errors.status : `live · every ${refreshMs / 1000} s`;
  pill.className = 'pill ' + (errors.status ? 'bad' : 'good');
  if (!errors.status) setText('updated', clock(Date.now() / 1000));
}

function renderFast(refresh) {
  renderConnection();
  if (data.status) {
    attempt(() => renderHeader(data.status));
    attempt(() => renderNodes(data.status, data.jobs, data.swim, refresh));
    attempt(() => renderCounts(data.status.work_queue));
  }
  if (data.jobs) attempt(() => renderJobs(data.jobs));
  stale('jobs', 'jobs-note');
  if (data.events) attempt(() => renderEvents(data.events));
  stale('events', 'events-note');
  if (data.work) attempt(() => renderWorkItems(data.work));
  stale('work', 'work-items-note');
}

function renderSlow() {
  if (data.history) attempt(() => renderHistory(data.history));
  stale('history', 'queue-by-type-note');
  if (data.training) attempt(() => renderTraining(data.training));
  stale('training', 'training-note');
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function fastLoop() {
  for (;;) {
    const started = Date.now();
    const swim = data.status?.swim_raft?.swim?.enabled ? [load('swim')] : [];
    await Promise.all([load('status'), load('jobs'), load('events'), load('work'), ...swim]);
    refreshes += 1;
    renderFast(refreshes);
    document.body.dataset.refreshes = String(refreshes);
    await sleep(Math.max(0, refreshMs - (Date.now() - started)));
  }
}

async function slowLoop() {
  for (;;) {
    const started = Date.now();
    await Promise.all([load('history'), load('training')]);
    renderSlow();
    await sleep(Math.max(0, slowMs - (Date.now() - started)));
  }
}

setupActions(() => { renderFast(refreshes); });
setupLogViewer();
fastLoop();
slowLoop();
