/**
 * The chain of a request: how many of our functions (src/) stand between the request's entry and the work
 * it does. While switched on, it takes the V8 stack (async frames included, `Error.stackTraceLimit` lifted)
 * at every SQL statement and at every outgoing HTTP request (a Slack reply, a post), keeps the frames in
 * src/, and reports the deepest: its length is the number of calls from the entry to that point, and the
 * frames themselves show the route.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

export interface Chain {
  /** src/ frames from the entry (first) to the deepest point (last), as `file:line name`. */
  frames: string[];
  /** What the deepest point was doing: the SQL statement's first words or the HTTP request. */
  at: string;
}

const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.*?):(\d+):\d+\)?$/;

export function createChainRecorder(srcUrl: string) {
  let on = false;
  let deepest: Chain = { frames: [], at: 'nothing' };
  const take = (at: string) => {
    if (!on) return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Number.POSITIVE_INFINITY;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    const frames: string[] = [];
    for (const line of stack.split('\n').slice(1)) {
      const m = FRAME.exec(line);
      if (!m?.[2]?.startsWith(srcUrl)) continue;
      frames.push(`${m[2].slice(srcUrl.length)}:${m[3]} ${m[1] ?? '(anonymous)'}`);
    }
    frames.reverse();
    if (frames.length > deepest.frames.length) deepest = { frames, at };
  };
  const onHttp = (message: unknown) => {
    const request = (message as { request?: { method?: string; path?: string } }).request;
    take(`HTTP ${request?.method ?? '?'} ${request?.path ?? ''}`);
  };
  return {
    /** Call at each SQL statement (from a Kysely plugin). */
    statement(sql: string) {
      take(sql.replace(/\s+/g, ' ').slice(0, 60));
    },
    start() {
      deepest = { frames: [], at: 'nothing' };
      on = true;
      subscribe('http.client.request.start', onHttp);
      subscribe('undici:request:create', onHttp);
    },
    stop(): Chain {
      on = false;
      unsubscribe('http.client.request.start', onHttp);
      unsubscribe('undici:request:create', onHttp);
      return deepest;
    },
  };
}
