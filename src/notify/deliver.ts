// Hands a composed mail to an SMTP server, or, without one, leaves it as an .eml file in an outbox
// folder. A delivery problem is a result, not an exception: the caller sends one message per recipient
// and decides what to retry, and a report run must not fail because a mail server is down.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { UsageError } from '../errors.js';
import { isAddress, isSender, logLine, parseSmtpUrl } from './addresses.js';
import type { OutgoingMail } from './compose.js';

/** nodemailer, loaded when a message is delivered: a command that sends nothing does not pay for it. */
async function mailer(): Promise<typeof import('nodemailer')> {
  return (await import('nodemailer')).default;
}

export interface MailSettings {
  smtpUrl: string | null;
  outboxDir: string;
  from: string;
  timeoutMs: number;
}

export type Delivery = { status: 'sent'; detail: string } | { status: 'written'; path: string } | { status: 'failed'; reason: string };

const DEFAULT_TIMEOUT_SECONDS = 20;

interface SmtpServer {
  options: SMTPTransport.Options;
  /** host:port, for messages. */
  where: string;
  /** The password as written in the URL and decoded, to scrub from whatever the server or library says. */
  secrets: string[];
}

function smtpServer(url: string, timeoutMs: number): SmtpServer {
  const { host, port, secure, user, pass, secrets } = parseSmtpUrl(url);
  return {
    // TLS certificates are verified (nodemailer's default); plain smtp:// still upgrades with STARTTLS when offered.
    options: {
      host,
      port,
      secure,
      auth: user === '' ? undefined : { user, pass },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    },
    where: `${host}:${port}`,
    secrets,
  };
}

/** From the environment: LASTTOUCH_SMTP_URL (smtp://user:pass@host:port or smtps://...), LASTTOUCH_OUTBOX (default: out/outbox under cwd, absolute), LASTTOUCH_MAIL_FROM (default lasttouch@<os.hostname()>), LASTTOUCH_SMTP_TIMEOUT seconds (default 20). A bad URL or timeout -> UsageError. */
export function mailSettings(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): MailSettings {
  const url = env.LASTTOUCH_SMTP_URL?.trim() ?? '';
  const timeoutText = env.LASTTOUCH_SMTP_TIMEOUT?.trim() ?? '';
  let timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000;
  if (timeoutText !== '') {
    const seconds = Number(timeoutText);
    if (!/^\d+(\.\d+)?$/.test(timeoutText) || seconds <= 0 || seconds > 3600) {
      throw new UsageError(`LASTTOUCH_SMTP_TIMEOUT "${timeoutText}" is not a number of seconds above 0 and at most 3600, e.g. 20`);
    }
    timeoutMs = Math.max(1, Math.round(seconds * 1000));
  }
  if (url !== '') {
    try {
      smtpServer(url, timeoutMs);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const from = env.LASTTOUCH_MAIL_FROM?.trim() || `lasttouch@${hostname()}`;
  if (!isSender(from)) throw new UsageError(`LASTTOUCH_MAIL_FROM "${from}" is not an e-mail address`);
  const outbox = env.LASTTOUCH_OUTBOX?.trim() || join('out', 'outbox');
  return { smtpUrl: url === '' ? null : url, outboxDir: resolve(cwd, outbox), from, timeoutMs };
}

/** RFC 5322 lines end in CRLF; nodemailer leaves a 7bit part's line ends as given (the SMTP data stream fixes them, a file would not). */
function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

function message(mail: OutgoingMail, settings: MailSettings): Mail.Options {
  return {
    from: settings.from,
    to: mail.to,
    subject: mail.subject,
    text: crlf(mail.text),
    html: crlf(mail.html),
    headers: { 'X-Lasttouch-Kind': mail.kind },
    // The parts are strings; never let nodemailer resolve a path or URL from them.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** What nodemailer's errors carry: code (EENVELOPE, EAUTH, ...), syscall on the socket's own (ECONNREFUSED). */
function asMailError(error: unknown): { message: string; code?: unknown; syscall?: string } {
  return error instanceof Error ? (error as Error & { code?: unknown; syscall?: string }) : { message: String(error) };
}

function failureReason(error: unknown, server: SmtpServer, timeoutMs: number): string {
  const failure = asMailError(error);
  // nodemailer's word for a silent socket is just "Timeout".
  const said = failure.message === 'Timeout' ? `the server sent nothing for ${timeoutMs / 1000} s` : failure.message;
  const code = failure.code;
  const what =
    code === 'EENVELOPE' ? 'the server refused the message'
    : code === 'ETIMEDOUT' ? 'timed out'
    : code === 'EAUTH' ? 'the server refused the login'
    : code === 'ETLS' ? 'the TLS handshake failed'
    : failure.syscall !== undefined || code === 'ECONNECTION' || code === 'ESOCKET' ? 'could not talk to the server'
    : /socket close/i.test(said) ? 'the server closed the connection'
    : 'sending failed';
  return logLine(`smtp ${server.where}: ${what}: ${said}`, server.secrets);
}

function timeout(message: string): Error {
  return Object.assign(new Error(message), { code: 'ETIMEDOUT' });
}

/**
 * Opens the TCP connection for nodemailer (its getSocket hook), so that the deadline can cut it: the
 * socket nodemailer opens itself is out of reach, and one fed by a trickling server would stay open.
 * TLS for smtps:// is still nodemailer's, with the certificate verified against the host name.
 */
function opener(server: SmtpServer, timeoutMs: number, sockets: Set<Socket>): NonNullable<SMTPTransport.Options['getSocket']> {
  return (_options, callback) => {
    const socket = connect({ host: server.options.host ?? '', port: server.options.port ?? 0 });
    sockets.add(socket);
    // Errors after the connection is handed over reach nodemailer's own listener too; this one only
    // keeps a late one (after nodemailer let go of the socket) from crashing the process.
    socket.on('error', () => undefined);
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error !== null) socket.destroy();
      callback(error, error === null ? { connection: socket } : null);
    };
    const timer = setTimeout(() => settle(timeout(`no connection within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.once('error', settle);
    socket.once('connect', () => settle(null));
  };
}

async function sendSmtp(mail: OutgoingMail, settings: MailSettings, url: string): Promise<Delivery> {
  let server: SmtpServer;
  try {
    server = smtpServer(url, settings.timeoutMs);
  } catch (error) {
    return { status: 'failed', reason: logLine((error as Error).message) };
  }
  const sockets = new Set<Socket>();
  const transport = (await mailer()).createTransport({ ...server.options, getSocket: opener(server, settings.timeoutMs, sockets) });
  // Every step has timeoutMs, but a server that trickles a byte at a time resets those timers forever;
  // the whole exchange gets twice that.
  const limit = 2 * settings.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout(`no complete answer within ${limit / 1000} s`)), limit);
  });
  const sending = transport.sendMail(message(mail, settings));
  // Once the deadline has answered, a late rejection of the send must not surface as an unhandled one.
  sending.catch(() => undefined);
  try {
    const info = await Promise.race([sending, deadline]);
    return { status: 'sent', detail: logLine(`accepted by ${server.where}: ${info.response}`, server.secrets) };
  } catch (error) {
    for (const socket of sockets) socket.destroy();
    return { status: 'failed', reason: failureReason(error, server, settings.timeoutMs) };
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

/** "2026-12-01T13-05-22.123Z": sorts as time does, and is a valid file name everywhere. */
function stamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-');
}

function fileStem(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'client';
}

async function writeOutbox(mail: OutgoingMail, settings: MailSettings, dir: string): Promise<Delivery> {
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}.eml`);
  try {
    await mkdir(dir, { recursive: true });
    // The same composer the SMTP path uses, so the file is the message a server would have received.
    const transport = (await mailer()).createTransport({ streamTransport: true, buffer: true });
    const info = await transport.sendMail(message(mail, settings));
    const bytes = info.message;
    if (!Buffer.isBuffer(bytes)) throw new Error('the composed message is not a buffer');
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const base = `${stamp(new Date())}-${mail.kind}-${fileStem(mail.clientId)}`;
    for (let attempt = 0; ; attempt += 1) {
      const path = join(dir, `${base}-${randomBytes(3).toString('hex')}.eml`);
      try {
        // link() refuses an existing name where rename() would replace it: a collision is retried, never lost.
        await link(temp, path);
        await unlink(temp);
        return { status: 'written', path };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' && attempt < 5) continue;
        if (code === 'EEXIST') throw error;
        // A file system without hard links: the random suffix alone keeps names apart.
        await rename(temp, path);
        return { status: 'written', path };
      }
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    return { status: 'failed', reason: logLine(`outbox ${dir}: ${(error as Error).message}`) };
  }
}

/**
 * Sends mail over settings.smtpUrl, or without one writes it as an .eml file into outboxDir (default
 * settings.outboxDir). Never throws for a delivery problem: that is {status:'failed', reason}, one line
 * with no password and no whole address.
 */
export async function deliver(mail: OutgoingMail, settings: MailSettings, outboxDir?: string): Promise<Delivery> {
  // One address per message, so that each can be retried alone; a list here is a caller's mistake.
  if (!isAddress(mail.to.trim())) {
    return { status: 'failed', reason: logLine(`the recipient ${mail.to} is not one e-mail address`) };
  }
  if (settings.smtpUrl !== null && settings.smtpUrl !== '') return sendSmtp(mail, settings, settings.smtpUrl);
  return writeOutbox(mail, settings, resolve(outboxDir ?? settings.outboxDir));
}
