import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_SECONDS } from '../../../src/adapters/signed-requests.ts';
import { verifySlackSignature } from '../../../src/adapters/slack/slack-verify.ts';

// Slack's published example: https://docs.slack.dev/authentication/verifying-requests-from-slack
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

const at = (offsetSeconds: number) => new Date((TIMESTAMP + offsetSeconds) * 1000);
const verify = (over: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) =>
  verifySlackSignature({
    signingSecret: SECRET,
    rawBody: BODY,
    signature: SIGNATURE,
    timestamp: String(TIMESTAMP),
    now: at(0),
    ...over,
  });

describe("Slack request signatures (Slack's published example)", () => {
  it('accepts the published example at its own time', () => {
    expect(verify()).toEqual({ ok: true });
  });

  it(`accepts up to ${MAX_CLOCK_SKEW_SECONDS} s of skew either way and refuses one second more`, () => {
    expect(verify({ now: at(MAX_CLOCK_SKEW_SECONDS) })).toEqual({ ok: true });
    expect(verify({ now: at(-MAX_CLOCK_SKEW_SECONDS) })).toEqual({ ok: true });
    expect(verify({ now: at(MAX_CLOCK_SKEW_SECONDS + 1) })).toEqual({
      ok: false,
      reason: 'timestamp too old',
    });
    // Our clock behind the request: a timestamp from the future, which Bolt alone would accept.
    expect(verify({ now: at(-MAX_CLOCK_SKEW_SECONDS - 1) })).toEqual({
      ok: false,
      reason: 'timestamp in the future',
    });
  });

  it('refuses a tampered body, another secret, a changed timestamp and missing headers', () => {
    expect(verify({ rawBody: BODY.replace('text=', 'text=x') })).toMatchObject({ ok: false });
    expect(verify({ signingSecret: `${SECRET}0` })).toMatchObject({ ok: false });
    expect(verify({ timestamp: String(TIMESTAMP + 1), now: at(1) })).toMatchObject({ ok: false });
    expect(verify({ signature: SIGNATURE.replace('v0=', 'v1=') })).toMatchObject({ ok: false });
    expect(verify({ signature: undefined })).toMatchObject({ ok: false });
    expect(verify({ timestamp: 'soon' })).toMatchObject({ ok: false });
  });
});
