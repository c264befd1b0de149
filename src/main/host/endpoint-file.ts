// The running host's endpoint file: where a host that serves a local WebSocket (`overseer serve`,
// the desktop app) says how the CLI reaches it — the WebSocket URL and the token — in
// `<data dir>/host-endpoint.json`, mode 0600, removed on shutdown. A file left by a host that died
// (its pid gone, or reused by another process) is stale: readers ignore it.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { processStartTime } from '../store/index.js';

export const ENDPOINT_FILE = 'host-endpoint.json';

export const HostEndpointSchema = z.object({
  /** ws://127.0.0.1:PORT/ws */
  url: z.string().startsWith('ws://'),
  token: z.string().min(1),
  pid: z.number().int().positive(),
  /** Kernel start time of `pid` (tells a live host from a reused pid); null where unknown. */
  startTime: z.string().nullable(),
  mode: z.string(),
});
export type HostEndpoint = z.infer<typeof HostEndpointSchema>;

export function endpointFilePath(dataDir: string): string {
  return join(dataDir, ENDPOINT_FILE);
}

function alive(endpoint: HostEndpoint): boolean {
  try {
    process.kill(endpoint.pid, 0);
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
  const now = processStartTime(endpoint.pid);
  return endpoint.startTime === null || now === null || now === endpoint.startTime;
}

/** Writes this process's endpoint (0600, atomically); returns the function that removes it. */
export function writeEndpointFile(dataDir: string, endpoint: { url: string; token: string; mode: string }): () => void {
  const file = endpointFilePath(dataDir);
  const body: HostEndpoint = { ...endpoint, pid: process.pid, startTime: processStartTime(process.pid) };
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(body));
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  return () => {
    const current = readEndpointRaw(file);
    if (current !== null && current.pid === process.pid) rmSync(file, { force: true });
  };
}

function readEndpointRaw(file: string): HostEndpoint | null {
  try {
    const parsed = HostEndpointSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The endpoint of the live host serving `dataDir`, or null (no file, unreadable, or left by a dead host). */
export function readEndpointFile(dataDir: string): HostEndpoint | null {
  const endpoint = readEndpointRaw(endpointFilePath(dataDir));
  if (endpoint === null || endpoint.pid === process.pid) return null;
  return alive(endpoint) ? endpoint : null;
}
