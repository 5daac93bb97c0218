/**
 * A tiny load balancer on loopback: each request goes to the next target in turn, its bytes (and so its
 * signature) untouched, and the response comes back as the target sent it. Each platform's path (`/slack/…`,
 * `/discord/…`) takes its own turns, so N requests of one platform reach every target N / targets times
 * however the platforms' requests interleave. `served` counts per target, overall and per path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  readonly base: string;
  /** Requests forwarded to each target, in the order the targets were given. */
  readonly served: number[];
  /** Requests under `/<platform>/` forwarded to each target. */
  servedUnder(platform: string): number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: readonly string[]): Promise<RoundRobinProxy> {
  const served = targets.map(() => 0);
  const byPlatform = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    const platform = (req.url ?? '/').split('/')[1] ?? '';
    const counts = byPlatform.get(platform) ?? targets.map(() => 0);
    byPlatform.set(platform, counts);
    // The platform's next target in turn: the one it has sent the fewest, the first of those.
    const index = counts.indexOf(Math.min(...counts));
    counts[index]!++;
    served[index]!++;
    const upstream = http.request(
      new URL(req.url ?? '/', targets[index]),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    served,
    servedUnder: (platform) => byPlatform.get(platform) ?? targets.map(() => 0),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
