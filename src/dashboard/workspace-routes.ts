/** A workspace's pages and actions, once the manager check passed: overview, cohorts, reported questions. */
import type { ServerResponse } from 'node:http';
import type { ChannelRef } from '../core/types.ts';
import { RESOLUTIONS, resolveReports } from '../feedback/reports.ts';
import { pauseSchedule, resumeSchedule, skipNext } from '../schedules/schedules.ts';
import type { Managed } from './access.ts';
import { type DashboardDeps, refuse } from './auth-routes.ts';
import { cohortBody, cohortCsvOf, cohortOf } from './cohort-page.ts';
import { contentBody } from './content-page.ts';
import { decoded, type Html, h, layout, redirect, securityHeaders, sendHtml } from './html.ts';
import { overviewBody } from './overview.ts';

interface WorkspaceRequest {
  res: ServerResponse;
  url: URL;
  form: URLSearchParams | undefined;
  who: { name: string; csrf: string };
  managed: Managed;
  /** The path after /dashboard/w/<workspace>, '' for the overview. */
  rest: string;
}

/** What an action did, said on the page it returns to; the query names one of these, never free text. */
const DONE: Record<string, string> = {
  pause: 'The drill is paused.',
  resume: 'The drill is resumed.',
  skip: 'The next study day is skipped.',
  resolved: 'The reports are resolved.',
};

function page(
  w: WorkspaceRequest,
  title: string,
  current: 'overview' | 'content' | 'cohort',
  body: Html,
): void {
  const base = baseOf(w);
  const done = DONE[w.url.searchParams.get('done') ?? ''];
  sendHtml(
    w.res,
    200,
    layout({
      title,
      who: w.who,
      nav: [
        ['Workspaces', '/dashboard', false],
        [`Overview · ${w.managed.workspace.name}`, base, current === 'overview'],
        ['Reported questions', `${base}/content`, current === 'content'],
      ],
      body: h`${done ? h`<p class="notice" role="status">${done}</p>` : ''}${body}`,
    }),
  );
}

const baseOf = (w: WorkspaceRequest) => `/dashboard/w/${encodeURIComponent(w.managed.workspace.id)}`;

async function drillAction(deps: DashboardDeps, w: WorkspaceRequest, channelId: string, action: string) {
  const { user } = w.managed;
  const channel: ChannelRef = { platform: user.platform, workspaceId: user.workspaceId, channelId };
  if (action === 'pause') await pauseSchedule(deps.study, channel, user);
  else if (action === 'resume') {
    await resumeSchedule(deps.study, channel);
    deps.onScheduleDue?.();
  } else await skipNext(deps.study, channel, user);
  deps.log.info({ channelId, action, by: user.userId }, 'dashboard drill action');
  redirect(w.res, `${baseOf(w)}?done=${action}`);
}

async function resolveAction(deps: DashboardDeps, w: WorkspaceRequest) {
  const question = w.form?.get('question') ?? '';
  const resolution = RESOLUTIONS.find((r) => r === w.form?.get('resolution'));
  if (!resolution || !question) return refuse(w.res, 409, 'Choose fixed, kept or dismissed.');
  await resolveReports(deps.study, w.managed.user, question, resolution);
  redirect(w.res, `${baseOf(w)}/content?done=resolved`);
}

async function cohortRoute(deps: DashboardDeps, w: WorkspaceRequest, id: string, csv: boolean) {
  const ctx = await cohortOf(deps.study, w.managed.user, Number(id));
  if (!ctx) return refuse(w.res, 404, 'This workspace has no such cohort.');
  if (csv) {
    const file = await cohortCsvOf(deps.study, ctx);
    w.res.writeHead(200, {
      ...securityHeaders(),
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${file.filename}"`,
    });
    w.res.end(file.content);
    return;
  }
  page(w, `Cohort ${ctx.cohort.name}`, 'cohort', await cohortBody(deps.study, ctx, baseOf(w)));
}

export async function workspaceRoute(deps: DashboardDeps, w: WorkspaceRequest): Promise<void> {
  const ws = w.managed.user;
  if (w.form) {
    const drill = /^\/drills\/([^/]+)\/(pause|resume|skip)$/.exec(w.rest);
    const channelId = drill ? decoded(drill[1]!) : undefined;
    if (drill && channelId) return drillAction(deps, w, channelId, drill[2]!);
    if (w.rest === '/content/resolve') return resolveAction(deps, w);
    return refuse(w.res, 404, 'There is no such action.');
  }
  if (w.rest === '')
    return page(w, 'Overview', 'overview', await overviewBody(deps.study, ws, baseOf(w), w.who.csrf));
  if (w.rest === '/content')
    return page(w, 'Reported questions', 'content', await contentBody(deps.study, ws, baseOf(w), w.who.csrf));
  const cohort = /^\/cohorts\/(\d{1,15})(\/export\.csv)?$/.exec(w.rest);
  if (cohort) return cohortRoute(deps, w, cohort[1]!, cohort[2] !== undefined);
  return refuse(w.res, 404, 'There is no such page.');
}
