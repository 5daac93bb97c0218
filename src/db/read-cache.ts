/**
 * A per-process cache of reads, dropped whenever this process changes the tables they come from. The
 * database handle counts its own writes to the watched tables (`WriteWatch`: each insert, update or delete
 * whose target is one, and each commit); an entry read before the count moved is not served. Other
 * processes' writes are not seen here: an entry is served for at most `ttlMs` of the clock after its read,
 * so their changes show within that.
 */
import type {
  DatabaseConnection,
  Dialect,
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);
/**
 * The tables whose changes drop the cache: what a channel's drill, its latest delivery and its answer count
 * come from, and cohorts (deleting one sets its drills' cohort to null).
 */
const WATCHED = new Set(['drills', 'deliveries', 'answers', 'drill_skips', 'cohorts']);

/** Whether any node under `node` names a watched table (for a write whose WITH may hold writes of its own). */
function namesWatched(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as { kind?: string; table?: { identifier?: { name?: string } } };
  if (n.kind === 'TableNode' && WATCHED.has(n.table?.identifier?.name ?? '')) return true;
  return Object.values(node).some(namesWatched);
}

/** A table's name, through an alias. */
function tableName(node: unknown): string | undefined {
  const n = node as { kind?: string; table?: { identifier?: { name?: string } }; node?: unknown } | undefined;
  if (n?.kind === 'TableNode') return n.table?.identifier?.name;
  if (n?.kind === 'AliasNode') return tableName(n.node);
  return undefined;
}

/**
 * Whether a write changes a watched table: its target is one (a write only changes its target; what it reads
 * in a subquery stays as it was). A write with a WITH clause is searched whole, since a CTE may write too.
 */
function writesWatched(node: RootOperationNode): boolean {
  if ('with' in node && node.with) return namesWatched(node);
  switch (node.kind) {
    case 'InsertQueryNode':
      return WATCHED.has(tableName(node.into) ?? '');
    case 'UpdateQueryNode':
      return WATCHED.has(tableName(node.table) ?? '');
    case 'DeleteQueryNode':
      return node.from.froms.some((f) => WATCHED.has(tableName(f) ?? ''));
    case 'MergeQueryNode':
      return WATCHED.has(tableName(node.into) ?? '');
    default:
      return false;
  }
}

function rawWritesWatched(node: OperationNode): boolean {
  const text = (node as { sqlFragments?: readonly string[] }).sqlFragments?.join(' ') ?? '';
  return (
    /\b(insert|update|delete|merge|truncate)\b/i.test(text) &&
    /\b(drills|deliveries|answers|drill_skips|cohorts)\b/i.test(text)
  );
}

/** Counts this process's writes to the watched tables: a Kysely plugin, and a dialect whose commits count too. */
export class WriteWatch {
  #generation = 0;
  readonly #pending = new WeakSet<QueryId>();

  /** Moves on each watched write (before it runs and once it has) and each commit. */
  get generation(): number {
    return this.#generation;
  }

  readonly plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }: PluginTransformQueryArgs): RootOperationNode => {
      const watched = WRITES.has(node.kind)
        ? writesWatched(node)
        : node.kind === 'RawNode' && rawWritesWatched(node);
      if (watched) {
        this.#generation++;
        this.#pending.add(queryId);
      }
      return node;
    },
    transformResult: async ({
      queryId,
      result,
    }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
      if (this.#pending.delete(queryId)) this.#generation++;
      return result;
    },
  };

  /** `dialect` with its driver's commits counted: a transaction's writes are seen by others once it commits. */
  dialect(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => {
        const driver = dialect.createDriver();
        const commit = driver.commitTransaction.bind(driver);
        driver.commitTransaction = async (connection: DatabaseConnection) => {
          await commit(connection);
          this.#generation++;
        };
        return driver;
      },
    };
  }
}

interface Entry<V> {
  value: V;
  generation: number;
  readAt: number;
}

/** Reads by key, served while no watched write happened since and for at most `ttlMs`; at most `maxEntries` kept. */
export class ReadCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #watch: WriteWatch;
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(watch: WriteWatch, ttlMs: number, maxEntries: number) {
    this.#watch = watch;
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** The entry for `key` if it is still good at `now` (ms); undefined results are not kept. */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (
      entry.generation === this.#watch.generation &&
      now >= entry.readAt &&
      now - entry.readAt <= this.#ttlMs
    )
      return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /**
   * Reads `key` through `read` and keeps the result, unless a watched write happened while it was read
   * (the result may predate it). `now` (ms) is when the read starts.
   */
  async read(key: string, now: number, read: () => Promise<V>): Promise<V> {
    const generation = this.#watch.generation;
    const value = await read();
    if (value === undefined || generation !== this.#watch.generation) return value;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, generation, readAt: now });
    return value;
  }
}
