// The catalogue of client settings (src/client-settings.ts) is the one description of them: its keys are
// the columns of meta.clients, its defaults the warehouse's, its closed lists the warehouse's CHECKs, and
// `client set`'s options, `client show` and client.json all come from it.
import { afterAll, describe, expect, it } from 'vitest';
import { SETTINGS, clientChanges, defaultValues } from '../../src/client-settings.js';
import { UsageError } from '../../src/errors.js';
import { getClient } from '../../src/warehouse/clients.js';
import { TestWarehouse, cli } from '../helpers.js';

const warehouse = new TestWarehouse();
afterAll(() => warehouse.cleanup());

describe('the catalogue of client settings', () => {
  it('has a setting for every column of meta.clients, with the default the warehouse gives a new client', async () => {
    await warehouse.client('seed', {});
    const columns = (await warehouse.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'meta' AND table_name = 'clients' ORDER BY ordinal_position`,
    )).map((row) => String(row.column_name));
    expect(columns.filter((column) => !['client_id', 'created_at', 'updated_at'].includes(column)).sort()).toEqual(
      SETTINGS.map((entry) => entry.key).sort(),
    );
    await warehouse.with((db) => db.run(`INSERT INTO meta.clients (client_id) VALUES ('bare')`));
    const bare = await warehouse.with((db) => getClient(db, 'bare'));
    expect(bare).toEqual({ client_id: 'bare', ...defaultValues() });
  });

  it.each([
    ['view_only', ['include', 'exclude']],
    ['model', ['flat', 'click-priority']],
  ] as const)('takes for %s exactly the values the warehouse takes', async (key, values) => {
    for (const value of values) {
      expect(clientChanges({ [key]: value })).toEqual({ [key]: value });
      await warehouse.with((db) => db.run(`UPDATE meta.clients SET ${key} = $1 WHERE client_id = 'bare'`, [value]));
    }
    expect(() => clientChanges({ [key]: 'sometimes' })).toThrow(UsageError);
    await expect(warehouse.with((db) => db.run(`UPDATE meta.clients SET ${key} = 'sometimes' WHERE client_id = 'bare'`))).rejects.toThrow(
      /CHECK constraint/i,
    );
  });

  it("gives `client set` its options and `client show` its lines, and checks a value by the option's name", () => {
    const help = cli(['client', 'set', '--help']);
    for (const entry of SETTINGS) expect(help.stdout).toContain(`${entry.flag} <${entry.arg}>`);
    const set = cli(['--db', warehouse.path, 'client', 'set', 'acme', '--model', 'click-priority', '--platform-priority', 'Klaviyo, postscript']);
    expect(set.status, set.stderr).toBe(0);
    const lines = set.stdout.trim().split('\n');
    expect(lines.map((line) => line.trim().split(':')[0])).toEqual(['client acme', ...SETTINGS.map((entry) => entry.key)]);
    expect(set.stdout).toContain('  model:             click-priority\n');
    expect(set.stdout).toContain('  platform_priority: klaviyo,postscript\n');
    // An empty list clears the priority (a list with no items is bound with a type of its own).
    const cleared = cli(['--db', warehouse.path, 'client', 'set', 'acme', '--platform-priority', '']);
    expect(cleared.status, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain('  platform_priority: (alphabetical)\n');
    const refused = cli(['--db', warehouse.path, 'client', 'set', 'acme', '--source-timezone', 'Mars/Olympus']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--source-timezone "Mars/Olympus" is not an IANA time zone');
  });
});
