// `db`: a stand-in for a managed database's CLI (migrations and backups), as the Pitchey and Workers
// microservices pipelines drive theirs. There is no one real CLI it copies; its shapes are those
// migration tools share (golang-migrate's `up`/`down`, numbered files in migrations/, https://github.com/golang-migrate/migrate/tree/master/cmd/migrate)
// and clap's error form for bad arguments (exit 2). It needs DATABASE_URL with the bed's password, as
// a real client needs its connection string, and never prints the password.
//
//   db migrate up   [--to N] --database NAME     applies pending migrations/NNNN_*.sql in order (to N)
//   db migrate down [--to N] --database NAME     reverts the newest one (or every one above N)
//   db status --database NAME [--json]           applied and pending migrations
//   db backup create --database NAME [--label L] prints the backup id alone
//   db backup restore ID --database NAME         puts the backup's migrations back
//   db backup list [--database NAME] [--json]

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ok, parseOptions, type CommandContext, type Handler, type Invocation } from './invocation.ts';
import { CliError, type AppliedMigration, type Database } from './store.ts';

const OPTIONS = {
  database: { type: 'string', short: 'd' },
  to: { type: 'string' },
  label: { type: 'string' },
  json: { type: 'boolean' },
  'migrations-dir': { type: 'string' }
} as const;

function usageError(message: string, usage: string): CliError {
  return new CliError(2, `error: ${message}\n\nUsage: db ${usage}\n\nFor more information, try '--help'.\n`);
}

function dbError(message: string): CliError {
  return new CliError(1, `error: ${message}\n`);
}

/** DATABASE_URL must name the bed's server with its password, as a real client's connection would. */
function connect(call: Invocation, context: CommandContext): void {
  const raw = call.env.DATABASE_URL;
  if (!raw) throw dbError('DATABASE_URL is not set (postgres://USER:PASSWORD@HOST:PORT/NAME)');
  const url = URL.parse(raw);
  if (!url || !/^postgres(ql)?:$/.test(url.protocol)) throw dbError('DATABASE_URL is not a postgres:// URL');
  if (decodeURIComponent(url.password) !== context.secrets.databasePassword) throw dbError(`password authentication failed for user "${decodeURIComponent(url.username)}"`);
}

interface MigrationFile {
  id: string;
  file: string;
}

function migrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw dbError(`no migrations folder at ${dir}`);
  return readdirSync(dir)
    .filter((file) => /^\d+_[\w.-]+\.sql$/.test(file) && !file.endsWith('.down.sql'))
    .map((file) => ({ id: file.slice(0, file.indexOf('_')), file }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

const versionOf = (database: Database) => database.migrations.at(-1)?.id ?? '0000';

function record(database: Database, action: string): void {
  database.history.push({ at: new Date().toISOString(), action, version: versionOf(database) });
}

function parseTarget(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw usageError(`invalid value '${raw}' for '--to <N>': a migration number such as 3 or 0003`, 'migrate <up|down> [--to <N>] --database <NAME>');
  return Number(raw);
}

export const db: Handler = (call, context) => {
  const { values, positionals } = parseOptions(call.argv, OPTIONS, (problem) => usageError(problem.replace(/^Unknown option '([^']+)'.*$/s, "unexpected argument '$1' found"), '<COMMAND> [OPTIONS]'));
  const [command, subcommand, argument, ...extra] = positionals;
  const needDatabase = (usage: string): string => {
    if (!values.database) throw usageError('the following required arguments were not provided:\n  --database <NAME>', usage);
    return values.database;
  };
  const migrationsDir = join(call.cwd, values['migrations-dir'] ?? 'migrations');

  if (command === 'migrate') {
    const usage = 'migrate <up|down> [--to <N>] --database <NAME>';
    if (subcommand !== 'up' && subcommand !== 'down') throw usageError(subcommand ? `invalid value '${subcommand}' for '<DIRECTION>'\n  [possible values: up, down]` : "'migrate' requires a direction: up or down", usage);
    if (argument !== undefined) throw usageError(`unexpected argument '${argument}' found`, usage);
    const name = needDatabase(usage);
    const target = parseTarget(values.to);
    connect(call, context);
    const database = context.store.database(name);
    const lines: string[] = [];
    if (subcommand === 'up') {
      const applied = new Set(database.migrations.map((m) => m.id));
      const pending = migrationFiles(migrationsDir).filter((m) => !applied.has(m.id) && (target === undefined || Number(m.id) <= target));
      if (pending.length > 0 && context.faulted()) throw dbError(`migration ${pending[0]!.file} failed: injected fault (the bed was told to fail this call); nothing applied, ${name} stays at ${versionOf(database)}`);
      for (const migration of pending) {
        database.migrations.push({ ...migration, appliedAt: new Date().toISOString() });
        lines.push(`applied ${migration.file}`);
      }
    } else {
      const floor = target ?? Number(database.migrations.at(-2)?.id ?? 0);
      const reverting = database.migrations.filter((m) => Number(m.id) > floor).reverse();
      if (reverting.length > 0 && context.faulted()) throw dbError(`reverting ${reverting[0]!.file} failed: injected fault (the bed was told to fail this call); nothing reverted, ${name} stays at ${versionOf(database)}`);
      for (const migration of reverting) {
        database.migrations.pop();
        lines.push(`reverted ${migration.file}`);
      }
    }
    if (lines.length === 0) lines.push('no change');
    record(database, `migrate ${subcommand}${target !== undefined ? ` --to ${target}` : ''}`);
    return ok(`${lines.join('\n')}\n${name} is at ${versionOf(database)}\n`);
  }

  if (command === 'status') {
    const name = needDatabase('status --database <NAME> [--json]');
    connect(call, context);
    const database = context.store.database(name);
    const applied = new Set(database.migrations.map((m) => m.id));
    const pending = existsSync(migrationsDir) ? migrationFiles(migrationsDir).filter((m) => !applied.has(m.id)).map((m) => m.file) : [];
    const status = { database: name, version: versionOf(database), applied: database.migrations.map((m) => m.file), pending };
    if (values.json) return ok(`${JSON.stringify(status)}\n`);
    return ok(`${name} is at ${status.version}\napplied: ${status.applied.join(', ') || 'none'}\npending: ${pending.join(', ') || 'none'}\n`);
  }

  if (command === 'backup') {
    if (subcommand === 'create') {
      const name = needDatabase('backup create --database <NAME> [--label <LABEL>]');
      connect(call, context);
      if (context.faulted()) throw dbError(`backup of ${name} failed: injected fault (the bed was told to fail this call)`);
      const database = context.store.database(name);
      const backup = { id: `bkp_${context.store.nextSerial()}`, database: name, label: values.label ?? '', createdOn: new Date().toISOString(), migrations: database.migrations.map((m): AppliedMigration => ({ ...m })) };
      database.backups.push(backup);
      record(database, `backup create ${backup.id}`);
      return ok(`${backup.id}\n`);
    }
    if (subcommand === 'restore') {
      const usage = 'backup restore <ID> --database <NAME>';
      if (!argument) throw usageError('the following required arguments were not provided:\n  <ID>', usage);
      if (extra.length > 0) throw usageError(`unexpected argument '${extra[0]}' found`, usage);
      const name = needDatabase(usage);
      connect(call, context);
      const database = context.store.database(name);
      const backup = database.backups.find((b) => b.id === argument);
      if (!backup) throw dbError(`backup ${argument} not found for database ${name}`);
      if (context.faulted()) throw dbError(`restore of ${argument} failed: injected fault (the bed was told to fail this call); ${name} unchanged`);
      database.migrations = backup.migrations.map((m) => ({ ...m }));
      record(database, `backup restore ${backup.id}`);
      return ok(`restored ${backup.id} to ${name}\n${name} is at ${versionOf(database)}\n`);
    }
    if (subcommand === 'list') {
      connect(call, context);
      const databases = values.database ? [context.store.database(values.database)] : [...context.store.databases.values()];
      const backups = databases.flatMap((d) => d.backups.map(({ id, database, label, createdOn, migrations }) => ({ id, database, label, createdOn, version: migrations.at(-1)?.id ?? '0000' })));
      if (values.json) return ok(`${JSON.stringify({ backups })}\n`);
      return ok(backups.map((b) => `${b.id}  ${b.database}  ${b.version}  ${b.createdOn}  ${b.label}`).join('\n') + (backups.length ? '\n' : ''));
    }
    throw usageError(subcommand ? `unrecognized subcommand '${subcommand}'` : "'backup' requires a subcommand: create, restore or list", 'backup <create|restore|list>');
  }
  throw usageError(command ? `unrecognized subcommand '${command}'` : "'db' requires a subcommand", '<migrate|status|backup>');
};
