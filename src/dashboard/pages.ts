/** The pages outside a workspace: sign-in with each configured provider, and the list of workspaces managed. */
import type { DashboardConfig } from '../config/dashboard.ts';
import type { Managed } from './access.ts';
import { type Html, h, layout } from './html.ts';

export function signInPage(config: DashboardConfig): Html {
  const providers = [
    config.slack ? h`<a href="/dashboard/auth/slack">Sign in with Slack</a>` : '',
    config.discord ? h`<a href="/dashboard/auth/discord">Sign in with Discord</a>` : '',
  ];
  return layout({
    title: 'Sign in',
    body: h`<p>The dashboard is for the managers of a workspace: its admins, and members they granted it with the bot's <code>managers add</code> command.</p>
${
  config.slack || config.discord
    ? h`<div class="providers">${providers}</div>`
    : h`<p class="notice">In the terminal chat, type <code>/dashboard</code> for a login link.</p>`
}`,
  });
}

export function workspacesPage(managed: readonly Managed[], who: { name: string; csrf: string }): Html {
  const body = managed.length
    ? h`<ul class="workspaces">${managed.map(
        (m) =>
          h`<li><a href="/dashboard/w/${encodeURIComponent(m.workspace.id)}">${m.workspace.name}</a></li>`,
      )}</ul>`
    : h`<p class="notice error" role="alert">You are not a manager of any workspace this bot is in. A workspace's admins can grant it with the bot's <code>managers add</code> command.</p>`;
  return layout({ title: 'Your workspaces', who, body });
}
