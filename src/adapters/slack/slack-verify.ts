/** Verifies Slack's request signature with our clock, refusing timestamps more than 5 minutes off either way. */
import { verifySlackRequest } from '@slack/bolt';
import { timestampProblem, type VerifyResult } from '../signed-requests.ts';

export function verifySlackSignature(opts: {
  signingSecret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now: Date;
}): VerifyResult {
  // "The request timestamp is more than five minutes from local time. It could be a replay attack"
  // (docs.slack.dev/authentication/verifying-requests-from-slack). Bolt only refuses old timestamps
  // (platform-facts §1.1), so both sides are checked here.
  if (!opts.signature) return { ok: false, reason: 'missing or malformed signature headers' };
  const problem = timestampProblem(opts.timestamp, opts.now);
  if (problem) return { ok: false, reason: problem };
  const ts = Number(opts.timestamp);
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
