/**
 * The Slack HTTP receiver: every request under /slack/ goes through here. Events are size-capped, signature
 * checked with our clock and refused while the adapter is not ready; Bolt's receiver handles the rest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Clock } from '../../core/clock.ts';
import type { Log } from '../../core/log.ts';
import type { HttpMount } from '../adapter.ts';
import { header, readBody, tooLarge } from '../signed-requests.ts';
import { verifySlackSignature } from './slack-verify.ts';

/** Where Slack sends commands, interactivity and events in HTTP mode (and slack/manifest.yml says so). */
export const EVENTS_PATH = '/slack/events';

export interface SlackReceiverDeps {
  receiver: HTTPReceiver;
  signingSecret: string;
  clock: Clock;
  log: Log;
  /** False while starting or stopping: events are then refused with 503. */
  isReady(): boolean;
}

async function serveEvents(deps: SlackReceiverDeps, req: IncomingMessage, res: ServerResponse) {
  const { receiver, clock, log } = deps;
  const raw = await readBody(req);
  if (raw === 'too_large') return tooLarge(req, res);
  const rawBody = raw.toString('utf8');
  // Slack's SSL check is unsigned and carries nothing to process.
  if (
    req.headers['content-type'] === 'application/x-www-form-urlencoded' &&
    /(^|&)ssl_check=1(&|$)/.test(rawBody)
  ) {
    res.writeHead(200).end();
    return;
  }
  const verdict = verifySlackSignature({
    signingSecret: deps.signingSecret,
    rawBody,
    signature: header(req, 'x-slack-signature'),
    timestamp: header(req, 'x-slack-request-timestamp'),
    now: clock.now(),
  });
  if (!verdict.ok) {
    log.warn({ reason: verdict.reason }, 'slack request refused');
    res.writeHead(401).end();
    return;
  }
  if (!deps.isReady()) {
    // Slack retries events; commands and clicks show the member an error, which is right while we restart.
    res.writeHead(503).end();
    return;
  }
  // Bolt reads the already-buffered body from here instead of the consumed stream.
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
  receiver.requestListener(req, res);
}

/** The routes the shared HTTP server hands to Slack: events checked here, install and OAuth left to Bolt. */
export function slackHttpMount(deps: SlackReceiverDeps): HttpMount {
  const { receiver, log } = deps;
  return {
    prefix: '/slack/',
    listener(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'POST' && path === EVENTS_PATH) {
        serveEvents(deps, req, res).catch((err: unknown) => {
          log.error({ err }, 'slack request failed');
          if (!res.headersSent) res.writeHead(500).end();
        });
        return;
      }
      try {
        receiver.requestListener(req, res);
      } catch {
        // Bolt throws for paths it does not own (e.g. /slack/install without OAuth configured).
        if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      }
    },
  };
}
