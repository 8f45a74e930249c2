// The dashboard reads everything from the application's Actuator endpoints, in the user's
// own same-origin requests: whatever protects Actuator protects what the page shows.

/** A request that did not answer 2xx, with what the endpoint said. */
export class ApiError extends Error {
  constructor(status, body, url) {
    super((body && (body.error || body.message)) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.url = url;
  }
}

let session = null;

/** What the dashboard's own endpoint says: endpoints, user, permissions, CSRF token. */
export async function loadSession() {
  const response = await fetch('api/session', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    throw new ApiError(response.status, await body(response), 'api/session');
  }
  session = await response.json();
  return session;
}

export function currentSession() {
  return session;
}

export function endpoint(id) {
  return session && session.endpoints ? session.endpoints[id] : null;
}

async function body(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch (e) {
    return { error: text.slice(0, 300) };
  }
}

/** GET an Actuator URL as JSON; throws ApiError for anything but 2xx. */
export async function getJson(url) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { error: 'The application cannot be reached' }, url);
  }
  if (!response.ok) {
    throw new ApiError(response.status, await body(response), url);
  }
  return response.json();
}

/** Runs an action on a processor exactly as curl would: a JSON POST to the streams endpoint. */
export async function runAction(processor, action, options = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (session && session.csrf) {
    headers[session.csrf.header] = session.csrf.token;
  }
  const payload = { action };
  if (options.cleanUp) {
    payload.cleanUp = true;
  }
  const url = `${endpoint('streams')}/${encodeURIComponent(processor)}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(payload) });
  if (!response.ok) {
    throw new ApiError(response.status, await body(response), url);
  }
  return response.json();
}

export function mayOperate(processor) {
  return !!(session && session.processors && session.processors[processor] && session.processors[processor].operate);
}

/** A sentence for an error, saying what to do about it where the page knows. */
export function describe(error) {
  if (!(error instanceof ApiError)) {
    return String(error && error.message ? error.message : error);
  }
  if (error.status === 0) {
    return 'The application cannot be reached; retrying.';
  }
  if (error.status === 401) {
    return 'Not signed in: the application asks for credentials for this.';
  }
  if (error.status === 403) {
    return 'Not allowed: the application does not let this user do that.';
  }
  return error.message;
}
