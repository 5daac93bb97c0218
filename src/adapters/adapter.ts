/** What every platform adapter offers the process: a lifecycle, readiness, a publisher and optional HTTP routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Publisher } from '../core/outbound.ts';
import type { Platform } from '../core/types.ts';

/** Routes an adapter serves on the shared HTTP server (Slack's events, commands and OAuth; Discord's interactions). */
export interface HttpMount {
  /** Path prefix this mount owns, e.g. `/slack/`. */
  prefix: string;
  listener(req: IncomingMessage, res: ServerResponse): void;
}

export interface PlatformAdapter {
  readonly platform: Platform;
  readonly publisher: Publisher;
  readonly http?: HttpMount;
  /** Connects (gateway, socket mode) and starts handling events. */
  start(): Promise<void>;
  /** True while the platform connection is usable; drives /readyz. */
  isReady(): boolean;
  /**
   * Whether a member is a platform admin of a workspace now (Slack owner or admin; Discord Manage Server or the
   * manager role), asked of the platform as the chat commands ask it; undefined when the platform cannot say.
   */
  isPlatformAdmin?(workspaceId: string, userId: string): Promise<boolean | undefined>;
  /** Stops taking new events, waits for in-flight handlers, disconnects. */
  stop(): Promise<void>;
}
