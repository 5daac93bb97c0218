/** Verifies Slack's request signature with our clock, refusing timestamps more than 5 minutes off either way. */
import { verifySlackRequest } from '@slack/bolt';

/**
 * "The request timestamp is more than five minutes from local time. It could be a replay attack"
 * (docs.slack.dev/authentication/verifying-requests-from-slack). Bolt only refuses old timestamps
 * (platform-facts §1.1), so the future side is checked here.
 */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export function verifySlackSignature(opts: {
  signingSecret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now: Date;
}): VerifyResult {
  if (!opts.signature || !opts.timestamp || !/^\d{1,12}$/.test(opts.timestamp))
    return { ok: false, reason: 'missing or malformed signature headers' };
  const ts = Number(opts.timestamp);
  const nowSec = Math.floor(opts.now.getTime() / 1000);
  if (ts > nowSec + MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'timestamp in the future' };
  if (ts < nowSec - MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'timestamp too old' };
  try {
    // Bolt's own check: HMAC-SHA256 over v0:{ts}:{body}, compared in constant time.
    verifySlackRequest({
      signingSecret: opts.signingSecret,
      body: opts.rawBody,
      headers: { 'x-slack-signature': opts.signature, 'x-slack-request-timestamp': ts },
      nowMilliseconds: opts.now.getTime(),
    });
    return { ok: true };
  } catch {
    return { ok: false, reason: 'signature mismatch' };
  }
}
