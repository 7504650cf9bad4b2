// Running jobs on every node that answered, with progress and the tail of each job's log.
import { el, byId, setText, ago } from './dom.js';
import { getJson, describe } from './api.js';
import { cancelButton } from './actions.js';

export const TAIL_LINES = 8;
const FULL_LINES = 200;

function progress(job) {
  if (job.progress === null || job.progress === undefined) return el('span', { class: 'muted', text: 'no progress reported yet' });
  const fill = el('span', { class: 'fill low' });
  fill.style.width = (job.progress * 100).toFixed(1) + '%';
  return el('div', { class: 'bar wide', title: (job.progress * 100).toFixed(0) + ' %' }, fill,
    el('span', { class: 'bar-text', text: (job.progress * 100).toFixed(0) + ' %' }));
}

function card(nodeId, job, tail) {
  return el('article', { class: 'job', data: { jobId: job.job_id, nodeId } },
    el('header', {},
      el('strong', { class: 'mono', text: job.job_id }),
      el('span', { class: 'muted', text: ` ${job.work_type} on ${nodeId} · ${job.state} · ${job.slot_kind}${job.gpu === null ? '' : ' ' + job.gpu} · started ${ago(job.started_at)}` })),
    progress(job),
    tail?.length ? el('pre', { class: 'log-tail', text: tail.join('\n') }) : el('p', { class: 'muted small', text: 'The log is empty so far.' }),
    el('div', { class: 'job-actions' },
      el('button', { type: 'button', text: `Last ${FULL_LINES} lines`, onclick: () => showLog(nodeId, job.job_id) }),
      cancelButton(job.work_id)));
}

async function showLog(nodeId, jobId) {
  const viewer = byId('log-viewer');
  viewer.hidden = false;
  setText('log-viewer-title', `${jobId} on ${nodeId}`);
  setText('log-viewer-text', 'loading…');
  try {
    const log = await getJson(`jobs/${encodeURIComponent(jobId)}/log?lines=${FULL_LINES}&node_id=${encodeURIComponent(nodeId)}`);
    setText('log-viewer-text', (log.whole_log ? '' : '…\n') + log.lines.join('\n'));
  } catch (e) {
    setText('log-viewer-text', 'The log could not be read: ' + describe(e));
  }
}

export function setupLogViewer() {
  byId('log-viewer-close').addEventListener('click', () => { byId('log-viewer').hidden = true; });
}

/** Renders /jobs?log_lines=N. */
export function renderJobs(jobs) {
  const cards = [];
  const notes = [];
  for (const node of jobs.nodes) {
    if (!node.answered) { notes.push(`${node.node_id}: ${node.error}`); continue; }
    if (!node.runner) continue;
    for (const job of node.runner.running) cards.push(card(node.node_id, job, node.log_tails?.[job.job_id]));
  }
  byId('jobs').replaceChildren(...(cards.length ? cards : [el('p', { class: 'muted', text: 'No job is running.' })]));
  setText('jobs-note', notes.length ? 'Not listed: ' + notes.join('; ') : '');
}
