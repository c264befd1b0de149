// The permission socket's file and folder: the checks on the folder (ours, closed to writes by others)
// and the replacement of a stale socket left by a host that is gone, refusing a live one.
import { createConnection } from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';

export class PermissionServerStartError extends Error {
  override readonly name = 'PermissionServerStartError';
}

/**
 * The socket's folder must be ours and closed to writes by others: whoever can write there can
 * replace the socket and read every goal's secret. Overseer never chmods a folder it did not create
 * (see ensurePrivateDir), so a folder that fails this check is refused rather than fixed.
 */
export function checkSocketFolder(folder: string): void {
  const info = lstatSync(folder);
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (!info.isDirectory())
    throw new PermissionServerStartError(`${folder} is not a directory; refusing to put the permission socket there`);
  if (uid !== null && info.uid !== uid) {
    throw new PermissionServerStartError(
      `${folder} belongs to another user (uid ${info.uid}); refusing to put the permission socket there`,
    );
  }
  if ((info.mode & 0o022) !== 0) {
    throw new PermissionServerStartError(
      `${folder} can be written by other users (mode ${(info.mode & 0o7777).toString(8)}); refusing to put the permission socket there (chmod 700 it)`,
    );
  }
}

/** Is something accepting connections on `path`? */
function probeSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Removes a stale socket at `path`; refuses to touch a live one or a file that is not a socket. */
export async function clearStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) throw new PermissionServerStartError(`${path} exists and is not a socket; refusing to replace it`);
  if (await probeSocket(path)) {
    throw new PermissionServerStartError(`another Overseer host is already serving permissions at ${path}`);
  }
  unlinkSync(path);
}
