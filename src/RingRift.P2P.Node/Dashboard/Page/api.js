// Every request of the page goes to the node that served it, through paths relative to /dashboard.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function send(path, init) {
  let response;
  try {
    response = await fetch(path, { cache: 'no-store', ...init, headers: { Accept: 'application/json', ...(init?.headers ?? {}) } });
  } catch (e) {
    throw new ApiError(0, 'UNREACHABLE', 'the node did not answer (' + e.message + ')');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: handled below
  }
  if (!response.ok) {
    throw new ApiError(response.status, body?.code ?? 'HTTP_' + response.status, body?.error ?? 'the node answered ' + response.status);
  }
  if (body === null) throw new ApiError(response.status, 'BAD_ANSWER', 'the node answered something that is not JSON');
  return body;
}

export function getJson(path) {
  return send(path);
}

/** POST /work/cancel with the operator's token. */
export function cancelWork(workId, token) {
  return send('work/cancel', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
    body: JSON.stringify({ work_id: workId }),
  });
}

/** A failure as one line: code and message. */
export function describe(error) {
  return error instanceof ApiError ? error.code + ': ' + error.message : String(error?.message ?? error);
}
