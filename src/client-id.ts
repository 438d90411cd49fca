// What a client id may be. It names the client's folder in the report site and in the monthly inbox, and
// users type it in commands and SQL, so it is kept to characters that are safe in all of them.
import { UsageError } from './errors.js';

export const CLIENT_ID_RULE = 'a client id is 1 to 64 characters of a-z, 0-9, ".", "_" and "-", starting with a letter or digit';

const CLIENT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The id, or a usage error that states the rule. */
export function checkClientId(id: string): string {
  if (!CLIENT_ID.test(id)) {
    const shown = id.length > 70 ? `${id.slice(0, 64)}... (${id.length} characters)` : id;
    throw new UsageError(`client id ${JSON.stringify(shown)} is not valid: ${CLIENT_ID_RULE} (for example "acme-co")`);
  }
  return id;
}
