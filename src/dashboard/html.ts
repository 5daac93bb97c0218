/**
 * The dashboard's HTML: every figure and name goes through `h` (escaped text, never live markup), pages share one
 * layout, and every response carries the security headers (a CSP with no inline script, no framing).
 */
import type { ServerResponse } from 'node:http';
import { escapeMarkup } from '../core/render/text.ts';

/** Markup that is already safe: built only by `h` and the helpers here. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

/** A path segment decoded, or undefined when its escapes are malformed (a 404, not a failure). */
export function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeMarkup(String(part));
}

/** A template tag: the literal parts are markup, every interpolated value is escaped unless it is `Html`. */
export function h(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup made elsewhere that is safe by construction (Vega's SVG serialiser escapes every text it writes). */
export const trusted = (markup: string) => new Html(markup);

const CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "script-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The sign-in pages send no referrer at all, so no code or state in their URLs travels on. The other pages keep
 * it to this origin: a browser then names the origin on a form's POST, which the CSRF check compares.
 */
export const NO_REFERRER = { 'referrer-policy': 'no-referrer' };

/**
 * Every dashboard response's headers. HSTS keeps browsers on https for a year once they have seen the dashboard
 * there (they ignore it over http, as on 127.0.0.1); it names no subdomains, which may serve other things.
 */
export function securityHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-security-policy': CSP,
    'strict-transport-security': 'max-age=31536000',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    ...extra,
  };
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  body: Html,
  headers: Record<string, string | string[]> = {},
): void {
  const text = body.value;
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function redirect(
  res: ServerResponse,
  to: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(303, { ...securityHeaders(), location: to, ...headers });
  res.end();
}

export interface Layout {
  title: string;
  /** The signed-in person's name and the CSRF token for the sign-out form; absent on the sign-in pages. */
  who?: { name: string; csrf: string };
  /** Links shown in the header: [label, href, current]. */
  nav?: readonly (readonly [string, string, boolean])[];
  body: Html;
}

export function layout(p: Layout): Html {
  const nav = p.nav?.length
    ? h`<nav aria-label="Dashboard"><ul>${p.nav.map(
        ([label, href, current]) =>
          h`<li><a href="${href}"${current ? trusted(' aria-current="page"') : ''}>${label}</a></li>`,
      )}</ul></nav>`
    : '';
  const who = p.who
    ? h`<form class="signout" method="post" action="/dashboard/signout"><input type="hidden" name="csrf" value="${p.who.csrf}"><span>${p.who.name}</span> <button type="submit">Sign out</button></form>`
    : '';
  return h`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · roadmap-bot</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/dashboard/assets/dashboard.css"></head>
<body><header><a class="brand" href="/dashboard">roadmap-bot</a>${who}</header>${nav}
<main id="main"><h1>${p.title}</h1>${p.body}</main></body></html>`;
}

/**
 * A small table: a caption, a header row and rows of cells (each cell escaped unless `Html`). Each cell carries
 * its column's name, which a phone shows beside it when the rows stack.
 */
export function table(caption: string, head: readonly string[], rows: readonly (readonly Part[])[]): Html {
  if (rows.length === 0) return h`<p class="empty">${caption}: none.</p>`;
  return h`<div class="scroll"><table><caption>${caption}</caption><thead><tr>${head.map(
    (c) => h`<th scope="col">${c}</th>`,
  )}</tr></thead><tbody>${rows.map(
    (r) => h`<tr>${r.map((c, i) => h`<td data-label="${head[i] ?? ''}"><div>${c}</div></td>`)}</tr>`,
  )}</tbody></table></div>`;
}

/** Text whose `code` spans show as code: escaped first, so nothing in it becomes markup. */
export function withCode(text: string): Html {
  return new Html(escapeMarkup(text).replace(/`([^`]+)`/g, '<code>$1</code>'));
}

/** A POST form with the CSRF token: one button that changes something. */
export function actionForm(
  action: string,
  csrf: string,
  label: string,
  fields: Record<string, string> = {},
): Html {
  return h`<form class="inline" method="post" action="${action}"><input type="hidden" name="csrf" value="${csrf}">${Object.entries(
    fields,
  ).map(
    ([k, v]) => h`<input type="hidden" name="${k}" value="${v}">`,
  )}<button type="submit">${label}</button></form>`;
}
