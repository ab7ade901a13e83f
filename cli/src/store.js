// Where a login is kept: $XDG_CONFIG_HOME/mpp/credentials.json (default ~/.config/mpp), the folder 0700 and the
// file 0600, written to a temporary file and renamed so a crash never leaves half a token behind.
import { mkdir, readFile, rename, rm, writeFile, chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * @typedef {{api: string, issuer: string, clientId: string, accessToken: string, refreshToken?: string,
 *   expiresAt: number, refreshExpiresAt?: number}} Credentials  times in epoch milliseconds
 */

export function configDir() {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'mpp');
}

export function credentialsFile() {
  return join(configDir(), 'credentials.json');
}

/** @returns {Promise<Credentials | undefined>} */
export async function loadCredentials() {
  try {
    return JSON.parse(await readFile(credentialsFile(), 'utf8'));
  } catch (e) {
    if (/** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}

/** @param {Credentials} credentials */
export async function saveCredentials(credentials) {
  const dir = configDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const temporary = join(dir, `.credentials.${process.pid}.tmp`);
  await writeFile(temporary, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  await rename(temporary, credentialsFile());
}

export async function deleteCredentials() {
  await rm(credentialsFile(), { force: true });
}
