// --columns MAP.json: for an export whose headers differ, canonical column name -> header.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError, refuse, type FormatDefinition } from './format.js';

export function readColumnMapping(path: string, format: FormatDefinition): Record<string, string> {
  const name = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (error as Error).message;
    refuse(new InputError(name, 1, null, null, `cannot read the column mapping ${path} (--columns): ${why}`));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    refuse(new InputError(name, 1, null, null, `the column mapping is not readable JSON: ${(error as Error).message}`));
  }
  return parseColumnMapping(parsed, format, name);
}

/** A mapping already parsed (a file's, or one in the monthly inbox's client.json), checked against the format. */
export function parseColumnMapping(parsed: unknown, format: FormatDefinition, name: string): Record<string, string> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    refuse(new InputError(name, 1, null, null, 'the column mapping must be a JSON object of canonical name -> header'));
  }
  const mapping: Record<string, string> = {};
  const known = new Set(format.columns.map((column) => column.canonical));
  for (const [canonical, header] of Object.entries(parsed as Record<string, unknown>)) {
    if (!known.has(canonical)) {
      refuse(
        new InputError(name, 1, canonical, String(header), `is not a ${format.platform} column; known: ${[...known].join(', ')}`),
      );
    }
    if (typeof header !== 'string' || header.trim() === '') {
      refuse(new InputError(name, 1, canonical, String(header), 'must name a header (a non-empty string)'));
    }
    mapping[canonical] = header;
  }
  return mapping;
}
