/**
 * The Slack side of the Slack benchmark, on its own thread so it does not share the server's event loop:
 * sends signed `/roadmap today` requests over keep-alive connections and plays the response_url endpoint
 * (and auth.test), timing each request to its ack and to its reply. The reply a member sees is the ack's body
 * when it carries one (Slack shows it at once), otherwise the POST to the command's response_url.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort } from 'node:worker_threads';

export interface LoadRequest {
  target: string;
  secret: string;
  concurrency: number;
  warmup: number;
  count: number;
  users: number;
}

export interface LoadResult {
  ackMs: number[];
  replyMs: number[];
  elapsedAckMs: number;
  elapsedReplyMs: number;
  /** Measured requests whose reply rode in the ack's body. */
  inAck: number;
  /** Requests answered twice: a response_url POST for a request whose ack already carried the reply. */
  doubles: number;
  errors: number;
}

const replyWaiters = new Map<string, () => void>();
const sink = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url?.startsWith('/api/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
      return;
    }
    const id = req.url?.split('/').pop() ?? '';
    replyWaiters.get(id)?.();
    replyWaiters.delete(id);
    res.writeHead(200).end('ok');
  });
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
parentPort!.postMessage({ type: 'ready', sinkUrl });

function post(
  agent: http.Agent,
  target: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname, headers },
      (res) => {
        let body = 0;
        res.on('data', (chunk: Buffer) => {
          body += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(r: LoadRequest): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: r.concurrency });
  const target = new URL(r.target);
  const ackMs: number[] = [];
  const replyMs: number[] = [];
  const replies: Promise<void>[] = [];
  let errors = 0;
  let inAck = 0;
  let doubles = 0;
  let next = 0;
  let seq = 0;
  const total = r.warmup + r.count;
  let measuredStart = 0;
  let lastAck = 0;
  let lastReply = 0;

  async function one(): Promise<void> {
    const i = next++;
    const measured = i >= r.warmup;
    if (i === r.warmup) measuredStart = performance.now();
    const id = `${process.pid}-${seq++}`;
    const user = `U${String((i % r.users) + 1).padStart(6, '0')}`;
    const body = new URLSearchParams({
      team_id: 'T1',
      team_domain: 'bench',
      channel_id: 'C1',
      channel_name: 'backend-study',
      user_id: user,
      user_name: user.toLowerCase(),
      command: '/roadmap',
      text: 'today',
      response_url: `${sinkUrl}/commands/${id}`,
      trigger_id: '1.2.3',
      api_app_id: 'A1',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', r.secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const started = performance.now();
    const reply = (t: number) => {
      if (measured) replyMs.push(t - started);
      lastReply = Math.max(lastReply, t);
    };
    const replied = new Promise<number>((resolve) => replyWaiters.set(id, () => resolve(performance.now())));
    const { status, body: bodyBytes } = await post(
      agent,
      target,
      {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
      body,
    );
    const t = performance.now();
    if (status !== 200) errors++;
    if (measured) ackMs.push(t - started);
    lastAck = Math.max(lastAck, t);
    if (bodyBytes > 0) {
      // The reply is in the ack: a response_url POST for it now would be a second reply.
      replyWaiters.set(id, () => void doubles++);
      if (measured) inAck++;
      reply(t);
    } else replies.push(replied.then(reply));
  }

  async function worker(): Promise<void> {
    while (next < total) await one();
  }
  await Promise.all(Array.from({ length: r.concurrency }, worker));
  await Promise.all(replies);
  // Room for a late second reply to show up before the run's requests are forgotten.
  await new Promise((resolve) => setTimeout(resolve, 500));
  replyWaiters.clear();
  agent.destroy();
  return {
    ackMs,
    replyMs,
    elapsedAckMs: lastAck - measuredStart,
    elapsedReplyMs: lastReply - measuredStart,
    inAck,
    doubles,
    errors,
  };
}

parentPort!.on('message', async (msg: { type: 'run'; request: LoadRequest } | { type: 'close' }) => {
  if (msg.type === 'close') {
    sink.close();
    parentPort!.close();
    return;
  }
  parentPort!.postMessage({ type: 'result', result: await run(msg.request) });
});
