// The files that schedule the monthly job (deploy/): the systemd service and timer, their environment
// file, and the crontab line. The units are parsed here as INI and checked for what the job needs; when
// systemd-analyze is installed, `systemd-analyze verify` checks them as systemd itself reads them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPLOY = join(ROOT, 'deploy');
const SERVICE_NAME = 'lasttouch-monthly.service';
const TIMER_NAME = 'lasttouch-monthly.timer';
const SERVICE_PATH = join(DEPLOY, 'systemd', SERVICE_NAME);
const TIMER_PATH = join(DEPLOY, 'systemd', TIMER_NAME);
const ENV_EXAMPLE_PATH = join(DEPLOY, 'lasttouch.env.example');
const CRONTAB_PATH = join(DEPLOY, 'crontab.example');

/** section -> key -> every value given for it, in order (systemd allows a key to repeat). */
type Ini = Map<string, Map<string, string[]>>;

/** The subset of systemd's unit syntax the deploy files use: [sections], Key=value, comments, "\" continuations. */
function parseIni(text: string): Ini {
  const ini: Ini = new Map();
  let section: Map<string, string[]> | undefined;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    let line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (line.endsWith('\\') && index + 1 < lines.length) line = `${line.slice(0, -1)} ${(lines[++index] ?? '').trim()}`;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1] ?? '';
      if (ini.has(name)) throw new Error(`section [${name}] given twice`);
      section = new Map();
      ini.set(name, section);
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`line ${index + 1} is neither a [section] nor Key=value: ${line}`);
    if (section === undefined) throw new Error(`line ${index + 1} comes before any [section]: ${line}`);
    const key = line.slice(0, equals).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(equals + 1).trim()]);
  }
  return ini;
}

function values(ini: Ini, section: string, key: string): string[] {
  return ini.get(section)?.get(key) ?? [];
}

/** The one value of a key that must be given once. */
function single(ini: Ini, section: string, key: string): string {
  const given = values(ini, section, key);
  expect(given, `[${section}] ${key}=`).toHaveLength(1);
  return given[0] ?? '';
}

/** Environment=A=1 B=2 (repeatable) as a map. */
function environment(ini: Ini): Map<string, string> {
  const env = new Map<string, string>();
  for (const assignment of values(ini, 'Service', 'Environment').flatMap((value) => value.split(/\s+/))) {
    const [name, ...rest] = assignment.split('=');
    env.set(name ?? '', rest.join('='));
  }
  return env;
}

/** The value after an option in a command line (`--inbox DIR`). */
function optionValue(args: readonly string[], option: string): string | undefined {
  const at = args.indexOf(option);
  return at < 0 ? undefined : args[at + 1];
}

/** Whether the service may write at path: inside ReadWritePaths= or its StateDirectory= (under /var/lib). */
function writable(ini: Ini, path: string): boolean {
  const roots = [
    ...values(ini, 'Service', 'ReadWritePaths').flatMap((value) => value.split(/\s+/)).map((root) => root.replace(/^[-+]/, '')),
    ...values(ini, 'Service', 'StateDirectory').flatMap((value) => value.split(/\s+/)).map((name) => `/var/lib/${name}`),
  ];
  const normal = posix.normalize(path);
  return roots.some((root) => normal === posix.normalize(root) || normal.startsWith(`${posix.normalize(root)}/`));
}

const serviceText = readFileSync(SERVICE_PATH, 'utf8');
const timerText = readFileSync(TIMER_PATH, 'utf8');
const service = parseIni(serviceText);
const timer = parseIni(timerText);
const execStart = single(service, 'Service', 'ExecStart').split(/\s+/);

describe('the systemd service', () => {
  it('runs `lasttouch monthly --inbox DIR` once, with node and the checkout given by absolute paths', () => {
    expect(single(service, 'Service', 'Type')).toBe('oneshot');
    const [binary, script, ...args] = execStart;
    expect(binary).toMatch(/^\/\S*\/node$/);
    expect(script).toMatch(/^\/\S+\/bin\/lasttouch\.js$/);
    expect(args[0]).toBe('monthly');
    expect(optionValue(args, '--inbox')).toMatch(/^\//);
    const workingDirectory = single(service, 'Service', 'WorkingDirectory');
    expect(workingDirectory).toMatch(/^\//);
    expect(script).toBe(posix.join(workingDirectory, 'bin/lasttouch.js'));
  });

  it('waits long enough for another process\'s build to release the warehouse', () => {
    expect(Number(optionValue(execStart, '--wait'))).toBeGreaterThanOrEqual(600);
  });

  it('runs as a dedicated user, with the warehouse in LASTTOUCH_DB and the SMTP password in an EnvironmentFile', () => {
    const user = single(service, 'Service', 'User');
    expect(user).not.toMatch(/^(root|0|)$/);
    expect(environment(service).get('LASTTOUCH_DB')).toMatch(/^\/\S+\.duckdb$/);
    // Not Environment=LASTTOUCH_SMTP_URL=...: a unit file is world-readable.
    expect(serviceText).not.toMatch(/LASTTOUCH_SMTP_URL\s*=/);
    expect(single(service, 'Service', 'EnvironmentFile')).toMatch(/^\/etc\/\S+$/);
  });

  it('is hardened, and may still write the warehouse (with its .lock and .next), the inbox, the reports and the outbox', () => {
    expect(single(service, 'Service', 'ProtectSystem')).toBe('strict');
    expect(single(service, 'Service', 'NoNewPrivileges')).toBe('yes');
    expect(single(service, 'Service', 'PrivateTmp')).toBe('yes');
    const env = environment(service);
    // A writer creates <db>.lock and <db>.next beside the warehouse, so its folder must be writable.
    expect(writable(service, dirname(env.get('LASTTOUCH_DB') ?? ''))).toBe(true);
    // The job moves files into <client>/imported/ and <client>/rejected/.
    expect(writable(service, optionValue(execStart, '--inbox') ?? '')).toBe(true);
    const workingDirectory = single(service, 'Service', 'WorkingDirectory');
    const out = posix.resolve(workingDirectory, optionValue(execStart, '--out') ?? 'out/reports');
    // The report is written beside its folder, then swapped in: the parent must be writable too.
    expect(writable(service, dirname(out))).toBe(true);
    expect(writable(service, posix.resolve(workingDirectory, env.get('LASTTOUCH_OUTBOX') ?? 'out/outbox'))).toBe(true);
    // Node's JIT needs memory that is writable and executable.
    expect(values(service, 'Service', 'MemoryDenyWriteExecute')).not.toContain('yes');
  });

  it('is started by its timer only: it has no [Install] section of its own', () => {
    expect(service.has('Install')).toBe(false);
  });
});

describe('the systemd timer', () => {
  it('fires on the 2nd of each month at 06:00, catches up a missed run, and spreads the start a little', () => {
    expect(single(timer, 'Timer', 'OnCalendar')).toBe('*-*-02 06:00:00');
    expect(single(timer, 'Timer', 'Persistent')).toBe('true');
    const delay = /^(\d+)\s*(s|sec|min|m|h)?$/.exec(single(timer, 'Timer', 'RandomizedDelaySec'));
    expect(delay).not.toBeNull();
    const seconds = Number(delay?.[1]) * ({ min: 60, m: 60, h: 3600 }[delay?.[2] ?? 's'] ?? 1);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(3600);
  });

  it('starts the monthly service, and is enabled by timers.target', () => {
    const unit = values(timer, 'Timer', 'Unit');
    // Without Unit=, a timer starts the service of its own name.
    expect(unit.length === 0 ? TIMER_NAME.replace(/\.timer$/, '.service') : unit[0]).toBe(SERVICE_NAME);
    expect(single(timer, 'Install', 'WantedBy')).toBe('timers.target');
  });
});

describe('the environment file template', () => {
  const text = readFileSync(ENV_EXAMPLE_PATH, 'utf8');
  const assignments = text.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));

  it('sets the SMTP URL and the sender, with placeholders rather than a password', () => {
    for (const line of assignments) expect(line).toMatch(/^[A-Z_]+=\S/);
    const smtp = assignments.find((line) => line.startsWith('LASTTOUCH_SMTP_URL='));
    expect(smtp).toMatch(/^LASTTOUCH_SMTP_URL=smtps?:\/\/[^:]+:CHANGE-ME@[^@]+$/);
    expect(assignments.some((line) => line.startsWith('LASTTOUCH_MAIL_FROM='))).toBe(true);
  });

  it('reads the same in sh (cron sources it) as systemd reads it (quotes taken off, nothing expanded)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lasttouch-env-'));
    try {
      writeFileSync(join(dir, 'env'), text);
      for (const line of assignments) {
        const name = line.slice(0, line.indexOf('='));
        const systemdValue = line.slice(line.indexOf('=') + 1).replace(/^'(.*)'$/, '$1');
        const shell = spawnSync('/bin/sh', ['-c', `set -a && . "$1" && printf %s "$${name}"`, 'sh', join(dir, 'env')], { encoding: 'utf8' });
        expect(shell.stderr).toBe('');
        expect(shell.stdout, name).toBe(systemdValue);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the crontab line', () => {
  const jobs = readFileSync(CRONTAB_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    // A crontab may also hold NAME=value lines (PATH=..., MAILTO=...); those are not jobs.
    .filter((line) => !/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line));

  it('has five time fields, the 2nd of each month at 06:00, then the command', () => {
    expect(jobs).toHaveLength(1);
    const fields = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S.*)$/.exec(jobs[0] ?? '');
    expect(fields).not.toBeNull();
    expect(fields?.slice(1, 6)).toEqual(['0', '6', '2', '*', '*']);
  });

  const command = (jobs[0] ?? '').split(/\s+/).slice(5).join(' ');

  it('runs `monthly --inbox`, with node by its full path (cron\'s PATH is minimal) and the same paths as the service', () => {
    expect(command).toMatch(/ monthly --inbox \/\S+/);
    expect(command).toMatch(/(^|[\s(])\/\S*\/(node|npx)\s/);
    expect(optionValue(command.split(/\s+/), '--inbox')).toBe(optionValue(execStart, '--inbox'));
    expect(Number(optionValue(command.split(/[\s)]+/), '--wait'))).toBeGreaterThanOrEqual(600);
    expect(command).toContain(`LASTTOUCH_DB=${environment(service).get('LASTTOUCH_DB')} `);
    expect(command).not.toMatch(/LASTTOUCH_SMTP_URL\s*=/);
  });

  it('has no unescaped % (cron turns it into a new line), and is valid sh once cron has unescaped it', () => {
    expect(command).not.toMatch(/(^|[^\\])%/);
    const parsed = spawnSync('/bin/sh', ['-n', '-c', command.replaceAll('\\%', '%')], { encoding: 'utf8' });
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
  });
});

// systemd-analyze is run when it is installed: `systemd-analyze verify FILE...` works offline, without a
// running systemd (checked in this container, Debian 12, systemd 252, no systemd as PID 1). It loads the
// units as systemd would and fails on an unknown key or section, a bad value, a bad calendar expression,
// a timer whose unit does not exist, and an ExecStart= binary that does not exist. So the copies it checks
// differ from the deploy files in two ways only:
// - ExecStart= runs this machine's node (process.execPath) and this checkout's bin/lasttouch.js instead
//   of /usr/bin/node and /srv/lasttouch/..., which need not exist here;
// - User= and Group= are left out: the lasttouch user exists only on the server. systemd 252's verify does
//   not look users up, but other versions may; the tests above check User= instead.
// Skipped only when the tool is absent: `available` runs it.
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const available = existsSync(SYSTEMD_ANALYZE) && spawnSync(SYSTEMD_ANALYZE, ['--version'], { encoding: 'utf8' }).status === 0;

function verifyCopies(rewriteExecStart: (line: string) => string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lasttouch-units-'));
  try {
    const copy = serviceText
      .split('\n')
      .filter((line) => !/^(User|Group)=/.test(line))
      .map((line) => (line.startsWith('ExecStart=') ? rewriteExecStart(line) : line))
      .join('\n');
    // Same names: the timer names the service it starts.
    writeFileSync(join(dir, SERVICE_NAME), copy);
    writeFileSync(join(dir, TIMER_NAME), timerText);
    const result = spawnSync(SYSTEMD_ANALYZE, ['verify', '--man=no', join(dir, SERVICE_NAME), join(dir, TIMER_NAME)], {
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('systemd-analyze', () => {
  it.skipIf(!available)('verifies the service and the timer without a word', () => {
    const [, , ...args] = execStart;
    const result = verifyCopies(() => `ExecStart=${[process.execPath, join(ROOT, 'bin', 'lasttouch.js'), ...args].join(' ')}`);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!available)('does check them: the same copies with a node that does not exist fail', () => {
    const result = verifyCopies((line) => line.replace(/^ExecStart=\S+/, `ExecStart=${join(ROOT, 'no-such-dir', 'node')}`));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/not executable|No such file/);
  });

  it.skipIf(!available)('reads the timer\'s calendar as the 2nd of a month at 06:00:00', () => {
    const result = spawnSync(SYSTEMD_ANALYZE, ['calendar', '--iterations=3', single(timer, 'Timer', 'OnCalendar')], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const elapses = [...result.stdout.matchAll(/(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2})/g)];
    expect(elapses).toHaveLength(3);
    for (const [, , , day, time] of elapses) expect(`${day} ${time}`).toBe('02 06:00:00');
  });
});
