// The meta and raw schemas change only through the numbered migration files under migrations/
// (NNNN_name.sql, the first line a comment that describes it), applied in order, once each, each in its
// own transaction, and recorded with the SHA-256 of the file. A migration that has shipped is frozen:
// append a new file instead of editing one (test/unit/migration-files.test.ts holds the checksums of the
// shipped ones, and a warehouse refuses to open for writing when an applied file has changed).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project.js';
import type { Warehouse } from './db.js';
import { MigrationChangedError } from './location.js';

export interface Migration {
  version: number;
  description: string;
  file: string;
  sql: string;
  /** SHA-256 of the file, hex. */
  checksum: string;
}

/** The migration that added checksums: before it, the ledger has no column for them. */
const CHECKSUMS_FROM = 7;

export function readMigrations(dir = join(projectRoot(), 'migrations')): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name): Migration => {
      const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name);
      if (match?.[1] === undefined) throw new Error(`migrations/${name}: a migration file is named NNNN_name.sql`);
      const bytes = readFileSync(join(dir, name));
      const sql = bytes.toString('utf8');
      const description = /^-- (.+)$/m.exec(sql.split('\n')[0] ?? '')?.[1];
      if (description === undefined) throw new Error(`migrations/${name}: the first line is a comment that describes the migration`);
      return { version: Number(match[1]), description, file: `migrations/${name}`, sql, checksum: createHash('sha256').update(bytes).digest('hex') };
    });
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`${migration.file}: migrations are numbered 1, 2, 3, ... with none missing or twice`);
  });
  return migrations;
}

export const MIGRATIONS: readonly Migration[] = readMigrations();

/** The schema version this build of lasttouch reads and writes. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

/** The newest migration applied to a warehouse (0 when none). */
export async function schemaVersion(warehouse: Warehouse): Promise<number> {
  const row = await warehouse
    .one('SELECT coalesce(max(version), 0) AS version FROM meta.schema_migrations')
    .catch(() => undefined);
  return Number(row?.version ?? 0);
}

export async function migrate(warehouse: Warehouse): Promise<void> {
  await warehouse.run(`CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE IF NOT EXISTS meta.schema_migrations (
      version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const hasChecksums = async (): Promise<boolean> =>
    Number(
      (
        await warehouse.one(
          `SELECT count(*) AS n FROM information_schema.columns
           WHERE table_schema = 'meta' AND table_name = 'schema_migrations' AND column_name = 'checksum'`,
        )
      )?.n ?? 0,
    ) > 0;
  const recorded = new Map(
    (await warehouse.all(`SELECT version, ${(await hasChecksums()) ? 'checksum' : 'NULL AS checksum'} FROM meta.schema_migrations`)).map(
      (row) => [Number(row.version), row.checksum === null ? null : String(row.checksum)],
    ),
  );
  for (const migration of MIGRATIONS) {
    const checksum = recorded.get(migration.version);
    if (checksum !== undefined && checksum !== null && checksum !== migration.checksum) {
      throw new MigrationChangedError(
        `migration ${migration.version} (${migration.file}) is not the one this warehouse applied ` +
          `(checksum ${checksum.slice(0, 12)}, the file's ${migration.checksum.slice(0, 12)}); a shipped migration must not change`,
      );
    }
  }
  for (const migration of MIGRATIONS) {
    if (recorded.has(migration.version)) continue;
    await warehouse.transaction(async () => {
      await warehouse.run(migration.sql);
      if (migration.version < CHECKSUMS_FROM) {
        await warehouse.run('INSERT INTO meta.schema_migrations (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
        return;
      }
      await warehouse.run('INSERT INTO meta.schema_migrations (version, description, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.description,
        migration.checksum,
      ]);
      // The migrations applied before checksums were recorded: they are these files, frozen since.
      for (const earlier of MIGRATIONS.filter((candidate) => candidate.version < CHECKSUMS_FROM)) {
        await warehouse.run('UPDATE meta.schema_migrations SET checksum = $1 WHERE version = $2 AND checksum IS NULL', [
          earlier.checksum,
          earlier.version,
        ]);
      }
    });
  }
}
