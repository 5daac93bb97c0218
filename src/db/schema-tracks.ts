/** Table types of workspace tracks (src/tracks), beside schema.ts's. */
import type { Selectable } from 'kysely';
import type { BigId, Timestamp } from './schema-columns.ts';

/** One imported version of a workspace's track; removing the track sets `removed_at` on its versions. */
export interface WorkspaceTracksTable {
  id: BigId;
  platform: string;
  workspace_id: string;
  track_id: string;
  version: string;
  title: string;
  file_name: string;
  source: string;
  cards: number;
  questions: number;
  imported_by: string;
  imported_at: Timestamp;
  removed_at: Timestamp | null;
}

export type WorkspaceTrackRow = Selectable<WorkspaceTracksTable>;
