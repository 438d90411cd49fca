// What a command says it is doing, on a terminal: one line of stderr rewritten in place (carriage return,
// clear to the end of the line), drawn only when stderr is a terminal and --quiet is not given, never
// before the task has run for a second (a short one shows nothing, so nothing flickers) and at most five
// times a second. The line is erased before any other output (print, notice) and drawn again after it.
// This module is loaded by every command (through common.ts): it imports nothing.

/**
 * How long a task runs before its progress shows, in milliseconds: 1000, or this environment variable's
 * value (tests set it to 0 so that a small file shows its progress too).
 */
export const PROGRESS_AFTER_ENV = 'LASTTOUCH_PROGRESS_AFTER_MS';
/**
 * The shortest time between two draws in milliseconds: 200 (at most five a second), or this environment
 * variable's value (tests set it to 0 to see every update drawn).
 */
export const PROGRESS_EVERY_ENV = 'LASTTOUCH_PROGRESS_EVERY_MS';

/** A number of milliseconds from the environment, or the default. */
function millisecondsFrom(name: string, fallback: number): number {
  const text = process.env[name];
  const value = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Whether progress can be drawn: stderr is a terminal that understands "clear to end of line". */
export function progressAllowed(quiet: boolean): boolean {
  return !quiet && process.stderr.isTTY === true && process.env.TERM !== 'dumb';
}

/** The line now on the terminal (or waiting to be drawn), so that other output can make room for it. */
let active: ProgressLine | null = null;

export class ProgressLine {
  private readonly started = Date.now();
  private readonly showAfter = millisecondsFrom(PROGRESS_AFTER_ENV, 1000);
  private readonly every = millisecondsFrom(PROGRESS_EVERY_ENV, 200);
  private text: string | null = null;
  private drawn = false;
  private lastDraw = 0;
  private timer: NodeJS.Timeout | null = null;
  private finished = false;

  /** enabled false: a line that never draws (not a terminal, or --quiet), so callers need not ask. */
  constructor(readonly enabled: boolean) {}

  /** The text the line should show now; drawn at once, or at the next moment a draw is allowed. */
  update(text: string): void {
    if (!this.enabled || this.finished) return;
    this.text = text;
    active = this;
    this.schedule();
  }

  /**
   * Erases the line, runs write (output of its own), then draws the line again at the next moment a draw
   * is allowed: an update before then (what follows the output) is drawn instead of the text it erased.
   */
  interrupt(write: () => void): void {
    if (this.drawn) {
      process.stderr.write('\r\x1b[K');
      this.drawn = false;
      this.lastDraw = Date.now();
    }
    write();
    if (this.text !== null && !this.finished) this.schedule();
  }

  /** Ends the line: erased, or (last given, and something was shown) replaced by last and a newline. */
  finish(last?: string): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.drawn) process.stderr.write(last === undefined ? '\r\x1b[K' : `\r${this.fit(last)}\x1b[K\n`);
    this.drawn = false;
    this.finished = true;
    if (active === this) active = null;
  }

  private schedule(): void {
    const due = Math.max(this.started + this.showAfter, this.lastDraw + this.every);
    const now = Date.now();
    if (now >= due) {
      this.draw();
      return;
    }
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.draw();
      }, due - now);
      // A line waiting to be drawn never keeps the process alive.
      this.timer.unref();
    }
  }

  private draw(): void {
    if (this.text === null || this.finished) return;
    process.stderr.write(`\r${this.fit(this.text)}\x1b[K`);
    this.drawn = true;
    this.lastDraw = Date.now();
  }

  /** A line longer than the terminal is wide would wrap, and a carriage return could not rewrite it. */
  private fit(text: string): string {
    // A terminal of no known size (a pseudo-terminal nobody sized reports 0 columns) is taken as 80 wide.
    const columns = process.stderr.columns;
    const width = (columns !== undefined && columns >= 20 ? columns : 80) - 1;
    return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0))}…`;
  }
}

/** A progress line for a command: drawn only on a terminal, without --quiet. */
export function progressLine(quiet: boolean): ProgressLine {
  return new ProgressLine(progressAllowed(quiet));
}

/** Runs write (output to stdout or stderr) with the progress line, if any, out of its way. */
export function aside(write: () => void): void {
  if (active === null) write();
  else active.interrupt(write);
}

/** A line on stderr for a person (a notice, not progress): printed whether or not it is a terminal. */
export function notice(message: string): void {
  aside(() => process.stderr.write(`${message}\n`));
}

/** 1234567 as "1,234,567". */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A duration to come, roughly, as a person says it: "about 12 s left", "about 3 min left". */
export function timeLeft(seconds: number): string {
  if (seconds < 1) return 'less than a second left';
  if (seconds < 60) return `about ${Math.ceil(seconds)} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

/** A rate to two significant figures: 41,234.5 as "41,000". */
export function rate(perSecond: number): string {
  if (perSecond < 100) return count(perSecond);
  const magnitude = 10 ** (Math.floor(Math.log10(perSecond)) - 1);
  return count(Math.round(perSecond / magnitude) * magnitude);
}

/**
 * The progress of reading rows whose total is known, as a line: rows read, share, rate and time left.
 * The rate is taken at the moment the count last moved (DuckDB's share moves in steps, a block of the
 * file at a time), and rate and time left are shown once a tenth of the rows gives them something to go
 * on: an estimate from the first block alone, its start-up time included, would be a guess.
 */
export class RowProgress {
  private start = Date.now();
  private movedAt = this.start;
  private rows = 0;

  /** reading starts (again): the rate counts from now. */
  restart(): void {
    this.start = Date.now();
    this.movedAt = this.start;
    this.rows = 0;
  }

  describe(rows: number, total: number): string {
    const now = Date.now();
    if (rows !== this.rows) {
      this.rows = rows;
      this.movedAt = now;
    }
    const share = total > 0 ? Math.min(rows / total, 1) : 0;
    let text = `${count(rows)} of ${count(total)} rows read (${Math.floor(share * 100)}%)`;
    const seconds = (this.movedAt - this.start) / 1000;
    if (share >= 0.1 && seconds > 0) {
      const perSecond = rows / seconds;
      const left = Math.max((total - rows) / perSecond - (now - this.movedAt) / 1000, 0);
      text += `, ${rate(perSecond)} rows/s, ${timeLeft(left)}`;
    }
    return text;
  }

  /** Seconds since reading started. */
  elapsed(): number {
    return (Date.now() - this.start) / 1000;
  }
}
