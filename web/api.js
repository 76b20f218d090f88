// @ts-check
/** The pages' one way to call the JSON API: bearer token, JSON both ways, errors with their code. */

/** @typedef {{ error?: { code?: string, message?: string, details?: unknown[] } }} ErrorBody */

/** A failed call: the API's stable error code (mapped to the reader's language by each page), and its message. */
export class ApiError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {number} status
   * @param {unknown[]} details
   */
  constructor(code, message, status, details) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/**
 * Calls the API; `null` for 204, the parsed body otherwise.
 * @param {string} path
 * @param {{ token?: string, method?: string, body?: unknown, signal?: AbortSignal }} [options]
 * @returns {Promise<any>}
 */
export async function api(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  /** @type {Response} */
  let res;
  try {
    res = await fetch(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    throw new ApiError('NETWORK', err instanceof Error ? err.message : String(err), 0, []);
  }
  if (res.status === 204) return null;
  /** @type {ErrorBody & Record<string, unknown>} */
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? `HTTP ${res.status}`, res.status, body.error?.details ?? []);
  return body;
}

/**
 * Reads a server-sent event stream with fetch (so the token stays in a header), calling `onEvent`
 * for each event, reconnecting after a drop until `signal` aborts.
 * @param {string} path
 * @param {string} token
 * @param {(type: string, data: any) => void} onEvent
 * @param {AbortSignal} signal
 * @param {(connected: boolean) => void} [onState]
 */
export async function readEvents(path, token, onEvent, signal, onState) {
  while (!signal.aborted) {
    try {
      const res = await fetch(path, { headers: { authorization: `Bearer ${token}` }, signal });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onState?.(true);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data) {
            try {
              onEvent(type, JSON.parse(data));
            } catch {
              // a malformed event is skipped; the page's slow refresh catches up
            }
          }
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    onState?.(false);
    await new Promise((r) => setTimeout(r, 3000));
  }
}

/**
 * Builds an element: `el('div', { className: 'x' }, 'text', child)`.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Partial<HTMLElementTagNameMap[K]> & Record<string, unknown>} [props]
 * @param {...(Node | string)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props ?? {});
  for (const c of children) node.append(c);
  return node;
}

/**
 * The element with this id (the pages' markup is fixed: a missing one is a bug, found at once).
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing`);
  return node;
}
