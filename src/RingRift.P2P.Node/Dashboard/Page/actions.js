// Mutating actions. They exist only while the operator has entered the cluster token, which lives in this
// module's memory (never in storage, never in the page's markup) until the tab closes or "Forget token".
import { cancelWork, describe } from './api.js';
import { byId } from './dom.js';

let token = null;
let armed = null; // { workId, until }: the first click of a cancel, waiting for the second
let onChange = () => {};

export function canAct() {
  return token !== null;
}

export function setup(changed) {
  onChange = changed;
  const input = byId('token');
  byId('token-form').addEventListener('submit', event => {
    event.preventDefault();
    const value = input.value.trim();
    input.value = '';
    token = value.length ? value : null;
    show();
  });
  byId('token-forget').addEventListener('click', () => {
    token = null;
    armed = null;
    show();
  });
  show();
}

function show() {
  byId('token-forget').hidden = token === null;
  byId('token-state').textContent = token === null
    ? 'Actions are off. The token stays in this tab\'s memory only.'
    : 'Actions are on: cancel buttons are shown. The token is sent only with them.';
  onChange();
}

function report(text, bad) {
  const line = byId('action-result');
  line.textContent = text;
  line.className = bad ? 'warning' : 'muted';
}

/** A cancel button for a work item (click, then click again within 4 s to confirm), or null while actions are off. */
export function cancelButton(workId) {
  if (token === null) return null;
  const confirming = armed?.workId === workId && armed.until > Date.now();
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'cancel' + (confirming ? ' confirming' : '');
  button.dataset.cancel = workId;
  button.textContent = confirming ? 'Confirm cancel' : 'Cancel';
  button.addEventListener('click', async () => {
    if (!(armed?.workId === workId && armed.until > Date.now())) {
      armed = { workId, until: Date.now() + 4000 };
      onChange();
      return;
    }
    armed = null;
    button.disabled = true;
    try {
      await cancelWork(workId, token);
      report(`Cancelled ${workId}.`, false);
    } catch (e) {
      report(`Cancel of ${workId} refused: ${describe(e)}`, true);
    }
    onChange();
  });
  return button;
}
