/**
 * Workspace tracks: a manager imports a track file (one YAML file, content/README.md), checked by the same
 * schemas as the built-in content; each import is a version, visible only in its workspace. Drills and
 * deliveries name a version by key (`<id>@<version>`), so history made with an old version keeps it.
 */

import { parseTrackFile } from '../content/import.ts';
import { ContentError } from '../content/load.ts';
import type { Track } from '../content/track.ts';
import { DAYS_EXAMPLES, zoneHintForTrack } from '../core/commands/options.ts';
import { UserFacingError } from '../core/errors.ts';
import type { Attachment } from '../core/invocation.ts';
import { echo, literal, managerCommand } from '../core/render/text.ts';
import type { UserRef, WorkspaceRef } from '../core/types.ts';
import { type StudyDeps, transactionally } from '../db/deps.ts';
import { readNewVersions } from '../db/track-versions.ts';
import {
  countVersions,
  drillsOnTrack,
  markTrackRemoved,
  moveToVersion,
  saveTrackVersion,
  workspaceTrackRows,
} from './tracks.repository.ts';

/** What one workspace may store (README, "Limits"). */
export const TRACK_LIMITS = { bytes: 256 * 1024, cards: 200, questions: 800, tracks: 20 } as const;

const keyOf = (trackId: string, version: string) => `${trackId}@${version}`;

/** A file name as problems and replies show it: its last path part, inert. */
function fileNameOf(name: string): string {
  return literal(name.split(/[\\/]/).pop() || 'track.yaml').slice(0, 80);
}

function readText(file: Attachment, name: string): string {
  if (file.data.byteLength > TRACK_LIMITS.bytes)
    throw new UserFacingError(
      'TOO_LARGE',
      `${echo(name)} is over ${TRACK_LIMITS.bytes / 1024} KB, the most a track file may be; split it into tracks.`,
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.data);
  } catch {
    throw new UserFacingError('BAD_ARGUMENT', `${echo(name)} is not UTF-8 text; a track file is YAML.`);
  }
}

function checkCounts(track: Track): void {
  const questions = track.cards.reduce((n, c) => n + c.questions.length, 0);
  if (track.cards.length > TRACK_LIMITS.cards || questions > TRACK_LIMITS.questions)
    throw new UserFacingError(
      'TOO_LARGE',
      `The track has ${track.cards.length} cards and ${questions} questions; a track may have at most ${TRACK_LIMITS.cards} cards and ${TRACK_LIMITS.questions} questions.`,
    );
}

/** Every card id a track the workspace may meet uses (built-in and its own), with that track's id. */
async function takenCardIds(deps: StudyDeps, ws: WorkspaceRef): Promise<Map<string, string>> {
  const tracks = await workspaceTracks(deps, ws);
  return new Map(tracks.flatMap((t) => t.cards.map((c) => [c.id, t.id] as const)));
}

export type ImportOutcome =
  | { ok: false; file: string; problems: string[] }
  | {
      ok: true;
      file: string;
      track: Track;
      key: string;
      created: boolean;
      versions: number;
      moved: string[];
    };

/** Checks and stores a track file for the caller's workspace; problems come back, all of them, not thrown. */
export async function importTrack(deps: StudyDeps, user: UserRef, file: Attachment): Promise<ImportOutcome> {
  const name = fileNameOf(file.name);
  const text = readText(file, name);
  let track: Track;
  try {
    track = parseTrackFile(text, name, await takenCardIds(deps, user));
  } catch (err) {
    if (err instanceof ContentError) return { ok: false, file: name, problems: err.problems };
    throw err;
  }
  checkCounts(track);
  if (deps.tracks.has(track.id))
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `${echo(track.id)} is a built-in track's id; give your track another \`track:\` id in the file.`,
    );
  const current = await workspaceTrackRows(deps.db, user);
  if (!current.some((r) => r.track_id === track.id) && current.length >= TRACK_LIMITS.tracks)
    throw new UserFacingError(
      'TOO_LARGE',
      `This workspace has ${current.length} tracks, the most it may keep; remove one with ${managerCommand('track remove')} first.`,
    );
  const key = keyOf(track.id, track.version);
  const version = {
    trackId: track.id,
    version: track.version,
    title: track.title,
    fileName: name,
    source: text,
    cards: track.cards.length,
    questions: track.cards.reduce((n, c) => n + c.questions.length, 0),
    importedBy: user.userId,
    at: deps.clock.now(),
  };
  // The version and the drills moving to it land together.
  const { created, moved } = await transactionally(deps, async (d) => ({
    ...(await saveTrackVersion(d.db, user, version)),
    moved: await moveToVersion(d.db, user, track.id, key),
  }));
  deps.imported.byKey.set(key, track);
  return {
    ok: true,
    file: name,
    track,
    key,
    created,
    versions: await countVersions(deps.db, user, track.id),
    moved,
  };
}

/** The tracks a workspace may study: the built-in ones, then its own (newest version of each). */
export async function tracksOf(deps: StudyDeps, ws: WorkspaceRef) {
  const own = await workspaceTrackRows(deps.db, ws);
  return {
    builtIn: [...deps.tracks.values()],
    own: own.map((r) => ({
      id: r.track_id,
      key: keyOf(r.track_id, r.version),
      title: r.title,
      cards: r.cards,
      questions: r.questions,
      importedAt: r.imported_at,
      importedBy: r.imported_by,
    })),
  };
}

/** Every track a workspace may meet: the built-in ones, then its own at their newest versions. */
export async function workspaceTracks(deps: StudyDeps, ws: WorkspaceRef): Promise<Track[]> {
  const { builtIn, own } = await tracksOf(deps, ws);
  if (own.some((t) => !deps.imported.byKey.has(t.key))) await readNewVersions(deps);
  return [...builtIn, ...own.flatMap((t) => deps.imported.byKey.get(t.key) ?? [])];
}

/**
 * The key a drill or cohort stores for `track:<id>` typed in this workspace: a built-in id as is, the
 * workspace's own track at its newest version; undefined for anything else (another workspace's track too).
 */
async function resolveTrack(deps: StudyDeps, ws: WorkspaceRef, id: string): Promise<string | undefined> {
  if (deps.tracks.has(id)) return id;
  const [row] = await workspaceTrackRows(deps.db, ws, id);
  if (!row) return undefined;
  const key = keyOf(row.track_id, row.version);
  if (!deps.imported.byKey.has(key)) await readNewVersions(deps);
  return deps.imported.byKey.has(key) ? key : undefined;
}

/** `resolveTrack`, or a one-line refusal naming the tracks this workspace has. */
export async function requireTrack(
  deps: StudyDeps,
  ws: WorkspaceRef,
  id: string,
  usage: string,
): Promise<string> {
  const key = await resolveTrack(deps, ws, id);
  if (key) return key;
  const { builtIn, own } = await tracksOf(deps, ws);
  const ids = [...builtIn.map((t) => t.id), ...own.map((t) => t.id)];
  throw new UserFacingError(
    'BAD_ARGUMENT',
    `\`track\`: ${echo(id)} is not a track here; tracks: ${ids.join(', ')}.${zoneHintForTrack(id)} Study days go in \`days\`, e.g. ${DAYS_EXAMPLES}.`,
    usage,
  );
}

/** Removes a workspace's track; refused while a channel's drill studies it. */
export async function removeTrack(deps: StudyDeps, ws: WorkspaceRef, id: string): Promise<void> {
  if (deps.tracks.has(id))
    throw new UserFacingError(
      'BAD_ARGUMENT',
      `${echo(id)} is built in; only imported tracks can be removed.`,
    );
  const channels = await drillsOnTrack(deps.db, ws, id);
  if (channels.length > 0)
    throw new UserFacingError(
      'INVALID_STATE',
      `${channels.length} channel${channels.length === 1 ? '' : 's'} study ${echo(id)}; move each to another track with ${managerCommand('schedule set')} … track:${[...deps.tracks.keys()][0]} first.`,
    );
  if ((await markTrackRemoved(deps.db, ws, id, deps.clock.now())) === 0)
    throw new UserFacingError(
      'NOT_FOUND',
      `${echo(id)} is not a track of this workspace; ${managerCommand('track list')} shows them.`,
    );
}
