// Mail servers for tests, all real and on loopback: an SMTP server (smtp-server) on a free port that
// keeps what it receives, a bare TCP server that does to each connection what a test says (hang up, stay
// silent), and a small MIME reader for the messages received.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { expect } from 'vitest';

export interface Received {
  raw: string;
  mailFrom: string;
  rcptTo: string[];
}

export interface Running {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export async function startSmtp(options: SMTPServerOptions = {}): Promise<Running> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((address) => address.address),
        });
        callback(null);
      });
    },
    ...options,
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((done) => server.close(() => done())) };
}

/** A TCP server that does to every connection what handle says, and lets no socket outlive close(). */
export async function startRaw(handle: (socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    handle(socket);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

// A minimal MIME reader: enough for nodemailer's output (one multipart/alternative, quoted-printable,
// base64 or 7bit parts, folded headers, encoded words).
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface Entity {
  headers: Map<string, string>;
  body: string;
}

function entity(raw: string): Entity {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body: split < 0 ? '' : raw.slice(split + 4) };
}

export function parseMessage(raw: string): { headers: Map<string, string>; text: string; html: string } {
  expect(raw).not.toMatch(/[^\r]\n/); // RFC 5322 line ends
  const top = entity(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(top.headers.get('content-type') ?? '')?.[1];
  expect(top.headers.get('content-type')).toMatch(/^multipart\/alternative/);
  const parts: Record<string, string> = {};
  for (const chunk of top.body.split(`--${boundary}`).slice(1, -1)) {
    const part = entity(chunk.replace(/^\r\n/, '').replace(/\r\n$/, ''));
    const encoding = part.headers.get('content-transfer-encoding') ?? '7bit';
    const body =
      encoding === 'quoted-printable' ? decodeQuotedPrintable(part.body)
      : encoding === 'base64' ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : part.body;
    parts[(part.headers.get('content-type') ?? '').split(';')[0] ?? ''] = body.replace(/\r\n/g, '\n');
  }
  return { headers: top.headers, text: parts['text/plain'] ?? '', html: parts['text/html'] ?? '' };
}

