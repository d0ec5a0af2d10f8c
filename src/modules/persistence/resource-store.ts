import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID, randomInt } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { DomainError } from '../../domain/errors.js';
import type { KindName } from '../../domain/model/kinds.js';
import { namespaceOf, type KubeObject } from '../../domain/model/types.js';
import {
  OverlayView,
  stampResourceVersion,
  type Admission,
  type PlannedWrite,
  type StateView,
  type WriteContext,
} from '../../domain/resources/lifecycle.js';
import { IpamAdmission } from '../../domain/ipam/admission.js';
import { admitWaitingPods } from '../../domain/ipam/waiting-pods.js';
import { Ipam, objectKey, type PoolUsage } from '../../domain/ipam/ipam.js';
import { reconcileEndpointSlices } from '../../domain/endpoints/slice-controller.js';
import { ClusterState, type ClusterSnapshot, type StateChange } from '../../domain/state/cluster-state.js';
import { fromResourceBody, toResourceEntity } from './resource.mapper.js';
import { WriteLock } from './write-lock.js';

export const CHANGE_CHANNEL = 'netmodel_changes';
/** Rows per INSERT: 500 x 6 parameters stays far below SQLite's 32766 and PostgreSQL's 65535 bind limits. */
const CHUNK = 500;
const RESOURCE_COLUMNS = ['kind', 'namespace', 'name', 'uid', 'resource_version', 'body'] as const;
const CHANGE_LOG_COLUMNS = ['resource_version', 'event_type', 'kind', 'namespace', 'name'] as const;
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  return Array.from({ length: 5 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join('');
}

export interface CommittedWrite {
  readonly type: StateChange['type'];
  readonly object: KubeObject;
}

export type CommitListener = (changes: readonly CommittedWrite[], resourceVersion: number) => void;

/**
 * The one way objects reach the database and the in-memory state. A write takes the global
 * resourceVersion counter under lock (in-process by a FIFO lock, across replicas by the database row
 * lock), catches up with what other replicas committed, plans against that current state, persists rows
 * and change-log entries in one transaction, and only after the commit updates the in-memory state. A
 * failed plan or commit leaves nothing behind.
 */
@Injectable()
export class ResourceStore implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(ResourceStore.name);
  private readonly state = new ClusterState();
  /** The address book over the state: pools and who holds what (src/domain/ipam). */
  private readonly ipam: Ipam;
  private readonly lock = new WriteLock();
  private readonly listeners: CommitListener[] = [];
  private loaded = false;
  /** A full chunk's VALUES list by column count: the same every time, and it cost a string per value. */
  private readonly fullChunkValues = new Map<number, string>();
  /** SQLite: the row statements, prepared once on the connection every transaction runs on. */
  private sqliteStatements?: SqliteStatements;
  private follower?: ChangeFollower;

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.ipam = new Ipam({
      serviceCidrs: config.serviceCidrs,
      clusterCidrs: config.clusterCidrs,
      nodeCidrMasks: config.nodeCidrMasks,
      nodePortRange: config.nodePortRange,
      nodeNetwork: config.nodeNetwork,
      lbCidr: config.lbCidr,
    });
  }

  /** How full each pool is, as of the last commit. */
  ipPools(): PoolUsage[] {
    return this.ipam.usage();
  }

  poolsContaining(ip: string): PoolUsage[] {
    return this.ipam.poolsContaining(ip);
  }

  async onModuleInit(): Promise<void> {
    await this.load();
    if (this.config.database.type === 'postgres') {
      this.follower = new ChangeFollower(this.config.database.url, () => this.catchUp(), this.log);
      await this.follower.start();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.follower?.stop();
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  get isPostgres(): boolean {
    return this.config.database.type === 'postgres';
  }

  snapshot(): ClusterSnapshot {
    return this.state;
  }

  onCommit(fn: CommitListener): void {
    this.listeners.push(fn);
  }

  writeContext(checkStructure?: WriteContext['checkStructure']): WriteContext {
    return {
      now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      newUid: randomUUID,
      randomSuffix,
      checkStructure,
    };
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }

  /**
   * Runs `plan` against the current state inside a write transaction and commits what it returns.
   * `plan` must be synchronous and pure (it may run again on a retry in future versions).
   */
  async write<T>(
    plan: (view: StateView, admission: Admission) => { writes: readonly PlannedWrite[]; result: T },
    opts: { dryRun?: boolean } = {},
  ): Promise<{ result: T; committed: CommittedWrite[]; resourceVersion: number }> {
    return this.lock.run(async () => {
      const qr = this.ds.createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      try {
        const current = await this.lockCounter(qr);
        if (current > this.state.resourceVersion) await this.catchUpWith(qr, this.state.resourceVersion);
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        const admission = new IpamAdmission(this.ipam.fork(), now);
        const planned = plan(this.state, admission);
        const result = planned.result;
        const writes = this.withControllers(planned.writes, admission, now);
        if (writes.length === 0 || opts.dryRun) {
          await qr.rollbackTransaction();
          return { result, committed: [], resourceVersion: current };
        }
        const committed = writes.map((w, i): CommittedWrite => {
          const rv = String(current + i + 1);
          const object = w.type === 'DELETED' ? w.object : stampResourceVersion(w.object, rv);
          return { type: w.type, object };
        });
        const last = current + writes.length;
        await this.persist(qr, committed, current);
        await qr.query(`UPDATE cluster_meta SET value = ${last} WHERE key = 'resourceVersion'`);
        if (this.isPostgres) await qr.query(`SELECT pg_notify($1, $2)`, [CHANGE_CHANNEL, String(last)]);
        await qr.commitTransaction();
        // The batch's fork already holds what the writes hold; moving the book write by write is the
        // fallback for batches the fork does not match exactly (see Ipam.adopt).
        if (!this.ipam.adopt(admission.ipam, writes)) this.applyToIpam(committed);
        this.state.applyChanges(committed, last);
        this.notify(committed, last);
        return { result, committed, resourceVersion: last };
      } catch (e) {
        if (qr.isTransactionActive) await qr.rollbackTransaction();
        throw translateDbError(e);
      } finally {
        await qr.release();
      }
    });
  }

  /**
   * What the state would be after `plan`, without writing anything: the plan and the controllers' share
   * (EndpointSlices) laid over the current state, as `write` with `dryRun` would commit them. Planning
   * is synchronous, so no commit can interleave; the address book is only forked.
   */
  preview(plan: (view: StateView, admission: Admission) => { writes: readonly PlannedWrite[] }): StateView {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const admission = new IpamAdmission(this.ipam.fork(), now);
    const writes = this.withControllers(plan(this.state, admission).writes, admission, now);
    const view = new OverlayView(this.state);
    for (const w of writes) view.record(w);
    return view;
  }

  /**
   * The planned writes and the controllers' share of the same commit: waiting pods the batch lets run
   * (scheduler and kubelet retries), then EndpointSlices for everything the batch changed.
   */
  private withControllers(
    planned: readonly PlannedWrite[],
    admission: Admission,
    now: string,
  ): readonly PlannedWrite[] {
    const woken = admitWaitingPods(this.state, planned, admission);
    const batch = woken.length ? [...planned, ...woken] : planned;
    const derived = reconcileEndpointSlices(this.state, batch, { now, newUid: randomUUID, randomSuffix });
    return derived.length ? [...batch, ...derived] : batch;
  }

  /** Follows what other replicas committed (PostgreSQL): read the change log past our resourceVersion. */
  async catchUp(): Promise<void> {
    await this.lock.run(async () => {
      const rows: { value: string }[] = await this.ds.query(
        `SELECT value FROM cluster_meta WHERE key = 'resourceVersion'`,
      );
      const latest = Number(rows[0]?.value ?? 0);
      if (latest <= this.state.resourceVersion) return;
      const qr = this.ds.createQueryRunner();
      await qr.connect();
      try {
        await this.catchUpWith(qr, this.state.resourceVersion);
      } finally {
        await qr.release();
      }
    });
  }

  private async load(): Promise<void> {
    const started = Date.now();
    const rows: { body: string }[] = await this.ds.query('SELECT body FROM resources');
    const objects = rows.map((r) => fromResourceBody(r.body));
    this.state.load(objects);
    this.ipam.load(objects);
    const meta: { value: string }[] = await this.ds.query(
      `SELECT value FROM cluster_meta WHERE key = 'resourceVersion'`,
    );
    this.state.setResourceVersion(Number(meta[0]?.value ?? 0));
    this.loaded = true;
    this.log.log(
      `loaded ${rows.length} objects at resourceVersion ${this.state.resourceVersion} in ${Date.now() - started} ms`,
    );
  }

  private async lockCounter(qr: QueryRunner): Promise<number> {
    const forUpdate = this.isPostgres ? ' FOR UPDATE' : '';
    const rows: { value: string }[] = await qr.query(
      `SELECT value FROM cluster_meta WHERE key = 'resourceVersion'${forUpdate}`,
    );
    return Number(rows[0]?.value ?? 0);
  }

  private async catchUpWith(qr: QueryRunner, from: number): Promise<void> {
    const p = this.isPostgres ? '$1' : '?';
    const rows: {
      rv: string;
      event_type: StateChange['type'];
      kind: string;
      namespace: string;
      name: string;
      body: string | null;
    }[] = await qr.query(
      `SELECT c.resource_version AS rv, c.event_type, c.kind, c.namespace, c.name, r.body
           FROM change_log c
           LEFT JOIN resources r ON r.kind = c.kind AND r.namespace = c.namespace AND r.name = c.name
                                AND r.resource_version = c.resource_version
          WHERE c.resource_version > ${p}
          ORDER BY c.resource_version`,
      [from],
    );
    const changes: StateChange[] = [];
    let last = from;
    for (const row of rows) {
      last = Number(row.rv);
      if (row.event_type === 'DELETED') {
        const gone = this.state.get(row.kind as KindName, row.namespace, row.name);
        if (gone) changes.push({ type: 'DELETED', object: gone });
      } else if (row.body !== null) {
        // A row without a body was superseded by a later write in this same list.
        changes.push({ type: row.event_type, object: fromResourceBody(row.body) });
      }
    }
    if (rows.length === 0) return;
    this.applyToIpam(changes);
    this.state.applyChanges(changes, last);
    this.notify(changes, last);
  }

  /** Moves the address book with committed changes; runs before the state moves, which holds the previous objects. */
  private applyToIpam(changes: readonly StateChange[]): void {
    const seen = new Map<string, KubeObject | undefined>();
    for (const c of changes) {
      const key = objectKey(c.object);
      const prev = seen.has(key)
        ? seen.get(key)
        : this.state.get(c.object.kind, namespaceOf(c.object), c.object.metadata.name);
      const next = c.type === 'DELETED' ? undefined : c.object;
      this.ipam.change(prev, next);
      seen.set(key, next);
    }
  }

  /** After a commit the write is durable: a failing listener is logged, never turned into an error. */
  private notify(changes: readonly CommittedWrite[], resourceVersion: number): void {
    for (const l of this.listeners) {
      try {
        l(changes, resourceVersion);
      } catch (e) {
        this.log.error(
          `commit listener failed at resourceVersion ${resourceVersion}: ${(e as Error).message}`,
        );
      }
    }
  }

  /**
   * SQLite's prepared row statements, on the driver's one connection: the transaction the query runner
   * began is open on it, so what they write commits or rolls back with everything else.
   */
  private sqlite(): SqliteStatements | undefined {
    if (this.isPostgres) return undefined;
    const db = (this.ds.driver as unknown as { databaseConnection?: BetterSqlite3.Database })
      .databaseConnection;
    if (!db) return undefined;
    if (this.sqliteStatements?.db !== db) {
      this.sqliteStatements = {
        db,
        insertResource: db.prepare(
          'INSERT INTO "resources" ("kind", "namespace", "name", "uid", "resource_version", "body") VALUES (?, ?, ?, ?, ?, ?)',
        ),
        updateResource: db.prepare(
          'UPDATE "resources" SET "uid" = ?, "resource_version" = ?, "body" = ? WHERE "kind" = ? AND "namespace" = ? AND "name" = ?',
        ),
        deleteResource: db.prepare(
          'DELETE FROM "resources" WHERE "kind" = ? AND "namespace" = ? AND "name" = ?',
        ),
        insertLog: db.prepare(
          'INSERT INTO "change_log" ("resource_version", "event_type", "kind", "namespace", "name") VALUES (?, ?, ?, ?, ?)',
        ),
      };
    }
    return this.sqliteStatements;
  }

  /**
   * Rows: one final operation per object (a batch may touch an object twice); log: one row per write.
   * Plain parameterized SQL rather than the query builder: an import writes tens of thousands of rows, and
   * building each multi-row INSERT through TypeORM cost more than executing it (see bench/import). On
   * SQLite, prepared statements run once per row on the driver's connection: as a raw better-sqlite3
   * insert does, and faster than multi-row INSERTs, whose parameter lists cost more to build and bind.
   */
  private async persist(qr: QueryRunner, committed: readonly CommittedWrite[], base: number): Promise<void> {
    // In the order each object was first written; looked up by kind, namespace and name (nested maps
    // rather than a composite key string per write).
    const finals: FinalRow[] = [];
    const byKind = new Map<string, Map<string, Map<string, FinalRow>>>();
    for (const c of committed) {
      const kind = c.object.kind;
      const namespace = namespaceOf(c.object);
      const name = c.object.metadata.name;
      let byNs = byKind.get(kind);
      if (!byNs) byKind.set(kind, (byNs = new Map()));
      let names = byNs.get(namespace);
      if (!names) byNs.set(namespace, (names = new Map()));
      const object = c.type === 'DELETED' ? null : c.object;
      const prev = names.get(name);
      if (prev) {
        prev.object = object;
      } else {
        const row: FinalRow = { existedBefore: c.type !== 'ADDED', object, kind, namespace, name };
        names.set(name, row);
        finals.push(row);
      }
    }
    const sqlite = this.sqlite();
    if (sqlite) {
      persistSqlite(sqlite, finals, committed, base);
      return;
    }
    const p = (i: number) => this.param(i);
    const inserts: unknown[][] = [];
    for (const { existedBefore, object, kind, namespace, name } of finals) {
      if (object && !existedBefore) {
        const e = toResourceEntity(object);
        inserts.push([e.kind, e.namespace, e.name, e.uid, e.resourceVersion, e.body]);
      } else if (object) {
        const e = toResourceEntity(object);
        await qr.query(
          `UPDATE resources SET uid = ${p(1)}, resource_version = ${p(2)}, body = ${p(3)} WHERE kind = ${p(4)} AND namespace = ${p(5)} AND name = ${p(6)}`,
          [e.uid, e.resourceVersion, e.body, kind, namespace, name],
        );
      } else if (existedBefore) {
        await qr.query(
          `DELETE FROM resources WHERE kind = ${p(1)} AND namespace = ${p(2)} AND name = ${p(3)}`,
          [kind, namespace, name],
        );
      }
    }
    await this.insertRows(qr, 'resources', RESOURCE_COLUMNS, inserts);
    const log = committed.map((c, i) => [
      String(base + i + 1),
      c.type,
      c.object.kind,
      namespaceOf(c.object),
      c.object.metadata.name,
    ]);
    await this.insertRows(qr, 'change_log', CHANGE_LOG_COLUMNS, log);
  }

  /** The i-th (1-based) bind parameter in the dialect's syntax. */
  private param(i: number): string {
    return this.isPostgres ? `$${i}` : '?';
  }

  /** Multi-row INSERTs of CHUNK rows; every full chunk has the same text, so the driver's statement cache hits. */
  private async insertRows(
    qr: QueryRunner,
    table: string,
    columns: readonly string[],
    rows: readonly unknown[][],
  ): Promise<void> {
    const cols = columns.map((c) => `"${c}"`).join(', ');
    for (let i = 0; i < rows.length; i += CHUNK) {
      const end = Math.min(i + CHUNK, rows.length);
      const params: unknown[] = [];
      for (let r = i; r < end; r++) for (const v of rows[r]!) params.push(v);
      const values = this.valuesList(end - i, columns.length);
      await qr.query(`INSERT INTO "${table}" (${cols}) VALUES ${values}`, params);
    }
  }

  /** `(?, ?), (?, ?)` (or `($1, $2), ($3, $4)`) for rows x columns; full chunks' is built once. */
  private valuesList(rows: number, columns: number): string {
    const cached = rows === CHUNK ? this.fullChunkValues.get(columns) : undefined;
    if (cached !== undefined) return cached;
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) {
      const marks: string[] = [];
      for (let c = 1; c <= columns; c++) marks.push(this.param(r * columns + c));
      tuples.push(`(${marks.join(', ')})`);
    }
    const text = tuples.join(', ');
    if (rows === CHUNK) this.fullChunkValues.set(columns, text);
    return text;
  }
}

interface SqliteStatements {
  readonly db: BetterSqlite3.Database;
  readonly insertResource: BetterSqlite3.Statement;
  readonly updateResource: BetterSqlite3.Statement;
  readonly deleteResource: BetterSqlite3.Statement;
  readonly insertLog: BetterSqlite3.Statement;
}

/** persist on SQLite: the same rows, one prepared statement run each. */
function persistSqlite(
  st: SqliteStatements,
  finals: readonly FinalRow[],
  committed: readonly CommittedWrite[],
  base: number,
): void {
  // Updates and deletes first, then inserts, in the order the multi-row path runs them.
  for (const { existedBefore, object, kind, namespace, name } of finals) {
    if (!existedBefore) continue;
    if (object) {
      const e = toResourceEntity(object);
      st.updateResource.run(e.uid, e.resourceVersion, e.body, kind, namespace, name);
    } else {
      st.deleteResource.run(kind, namespace, name);
    }
  }
  for (const { existedBefore, object } of finals) {
    if (existedBefore || !object) continue;
    const e = toResourceEntity(object);
    st.insertResource.run(e.kind, e.namespace, e.name, e.uid, e.resourceVersion, e.body);
  }
  for (let i = 0; i < committed.length; i++) {
    const o = committed[i]!.object;
    st.insertLog.run(String(base + i + 1), committed[i]!.type, o.kind, namespaceOf(o), o.metadata.name);
  }
}

/** One object's final operation in a batch: whether a row existed before it and what it holds now. */
interface FinalRow {
  readonly existedBefore: boolean;
  object: KubeObject | null;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** A unique-key violation means another writer got there first: a conflict, not a server error. */
function translateDbError(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const code =
    (e as { code?: string; driverError?: { code?: string } }).driverError?.code ??
    (e as { code?: string }).code;
  if (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed|duplicate key/.test(msg)
  ) {
    return new DomainError('Conflict', `the write conflicted with a concurrent one; retry: ${msg}`);
  }
  return e;
}

/**
 * LISTEN/NOTIFY follower for PostgreSQL replicas. A notification triggers a catch-up; a one-second poll
 * covers notifications lost while the listening connection was down, so a write through any replica is
 * visible here within a second either way.
 */
class ChangeFollower {
  private client?: pg.Client;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running = false;

  constructor(
    private readonly url: string,
    private readonly catchUp: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.connect();
    this.timer = setInterval(() => this.trigger(), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => this.trigger());
    client.on('error', (err) => {
      this.log.warn(`change follower connection lost: ${err.message}; reconnecting`);
      this.client = undefined;
      void client.end().catch(() => undefined);
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    this.client = client;
  }

  /** Retries every second until LISTEN works again; the poll keeps the state current meanwhile. */
  private reconnect(): void {
    if (this.stopped) return;
    setTimeout(() => {
      this.connect().catch((err: Error) => {
        this.log.warn(`change follower reconnect failed: ${err.message}; retrying`);
        this.reconnect();
      });
    }, 1000).unref();
  }

  private trigger(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.catchUp()
      .catch((err: Error) => this.log.warn(`catch-up failed: ${err.message}`))
      .finally(() => {
        this.running = false;
      });
  }
}
