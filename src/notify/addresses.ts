// Recipient lists as a user types them, and the forms of addresses and server URLs that may appear in a
// log: a log is read by more people than the mail is, so it never holds a whole address or a password.
import { UsageError } from '../errors.js';

// Deliberately narrower than RFC 5322: a dot-atom local part and a domain of at least two labels. A quoted
// local part or a bare host ("jane@acme") is far more often a typo than an intended mailbox.
const LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const ADDRESS = new RegExp(`^${LOCAL}@(?:${LABEL}\\.)+${LABEL}$`);

/** Whether text is one e-mail address of the form parseRecipients accepts. */
export function isAddress(text: string): boolean {
  const at = text.lastIndexOf('@');
  // 64 and 254 are the SMTP limits (RFC 5321 4.5.3.1); a longer address is refused by servers anyway.
  return ADDRESS.test(text) && at <= 64 && text.length <= 254;
}

/** "a@x.com, b@y.org" (comma or whitespace separated) -> ['a@x.com','b@y.org']; throws UsageError naming the bad one (exit 2) when one is not an e-mail address. Empty/blank -> []. */
export function parseRecipients(text: string): string[] {
  const recipients: string[] = [];
  const seen = new Set<string>();
  // Semicolons too: that is what lists copied out of Outlook are separated by.
  for (const token of text.split(/[\s,;]+/)) {
    if (token === '') continue;
    if (!isAddress(token)) {
      throw new UsageError(`"${token}" is not an e-mail address (separate recipients with commas or spaces)`);
    }
    // Each recipient gets a message of its own, so a repeated one would get the mail twice.
    const key = token.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push(token);
  }
  return recipients;
}

/** For logs: "jane.doe@acme.example" -> "j***@acme.example"; never the whole local part. */
export function maskAddress(address: string): string {
  const text = address.trim();
  const at = text.lastIndexOf('@');
  if (at < 0) return '***';
  const local = text.slice(0, at);
  // A one-letter local part would be shown whole by its first letter.
  const shown = local.length > 1 ? local.slice(0, 1) : '';
  return `${shown}***@${text.slice(at + 1)}`;
}

const PLACEHOLDER = '(invalid LASTTOUCH_SMTP_URL)';

/** For logs: "smtp://user:secret@host:2525" -> "smtp://user:***@host:2525" (also smtps, no password -> unchanged, invalid URL -> "(invalid LASTTOUCH_SMTP_URL)"). */
export function maskSmtpUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The text cannot be taken apart, so no part of it is known not to be the password.
    return PLACEHOLDER;
  }
  if (parsed.password === '') return url;
  parsed.password = '***';
  return parsed.href;
}

const URL_HINT = 'use smtp://user:password@host:port or smtps://user:password@host:port';

/** LASTTOUCH_SMTP_URL taken apart; throws an Error whose message never holds the password. */
export function parseSmtpUrl(url: string): { host: string; port: number; secure: boolean; user: string; pass: string; secrets: string[] } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`LASTTOUCH_SMTP_URL is not a URL: ${URL_HINT}`);
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error(`LASTTOUCH_SMTP_URL ${maskSmtpUrl(url)} is not an SMTP URL: ${URL_HINT}`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new Error(`LASTTOUCH_SMTP_URL ${maskSmtpUrl(url)} names no host: ${URL_HINT}`);
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(parsed.username);
    pass = decodeURIComponent(parsed.password);
  } catch {
    throw new Error(`LASTTOUCH_SMTP_URL ${maskSmtpUrl(url)} has a malformed %-escape in its user or password`);
  }
  const secure = parsed.protocol === 'smtps:';
  const port = parsed.port === '' ? (secure ? 465 : 587) : Number(parsed.port);
  // Both spellings of the password, to scrub from whatever the server or the library says.
  const secrets = [...new Set([parsed.password, pass].filter((secret) => secret !== ''))];
  return { host, port, secure, user, pass, secrets };
}

/**
 * Any e-mail address in a line of text (a server's reply quotes the recipient) in its masked form, so
 * an error can be logged as the server worded it.
 */
export function maskAddressesIn(text: string): string {
  return text.replace(/[^\s<>()[\]"',;:@]+@[A-Za-z0-9.-]+/g, (address) => maskAddress(address));
}

/** One line for a log: the server's words with addresses masked, the secrets given gone, and a length cap. */
export function logLine(text: string, secrets: readonly string[] = []): string {
  let line = text;
  // Whole tokens only: a short password ("p") must not star out every "p" of the message.
  for (const secret of secrets) {
    if (secret === '') continue;
    const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    line = line.replace(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'g'), '***');
  }
  line = maskAddressesIn(line).replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** A From value: "Jane <jane@x.org>" or "jane@x.org"; a host of one label is fine here (lasttouch@buildbox). */
export function isSender(from: string): boolean {
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address.trim()) && !/[\r\n]/.test(from);
}
