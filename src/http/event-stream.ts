import type { Request, Response } from 'express';
import type { Topic } from '../shared/topic.ts';

/** A comment line down an idle stream keeps proxies from closing it. */
const PING_MS = 15_000;
/** A stream ends after this long; the page reconnects at once (EventSource does so by itself). */
const STREAM_MS = 10 * 60_000;

export type SendEvent = (type: string, data: unknown) => void;

/**
 * A server-sent event stream fed by a topic: the headers, a ping, an end after STREAM_MS or when
 * the service stops, and every timer and listener gone when either side closes, even mid-way.
 * `ready` is sent once the topic listens: the page reads what is there then, and misses nothing.
 */
export async function openEventStream<T>(
  req: Request,
  res: Response,
  topic: Pick<Topic<T>, 'subscribe'>,
  onEvent: (event: T, send: SendEvent) => void,
  onEnd?: () => void,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  if (req.method === 'HEAD') {
    res.end();
    onEnd?.();
    return;
  }
  const send: SendEvent = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  let ended = false;
  let unsubscribe: (() => void) | undefined;
  const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
  const lifetime = setTimeout(() => res.end(), STREAM_MS);
  const done = () => {
    if (ended) return;
    ended = true;
    clearInterval(ping);
    clearTimeout(lifetime);
    unsubscribe?.();
    onEnd?.();
  };
  req.on('close', done);
  res.on('close', done);
  res.write('retry: 3000\n\n');
  try {
    const stop = await topic.subscribe(
      (event) => onEvent(event, send),
      () => res.end(),
    );
    if (ended) stop();
    else unsubscribe = stop;
  } catch {
    res.end();
    done();
    return;
  }
  if (!ended) send('ready', {});
}
