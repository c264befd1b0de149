// The running host's endpoint file: private (0600), removed by its writer, and ignored when the
// host that wrote it is gone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointFilePath, readEndpointFile, writeEndpointFile } from '../../../src/main/host/endpoint-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'overseer-endpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('host endpoint file', () => {
  it('is written 0600 with the pid, and removed by its writer', () => {
    const remove = writeEndpointFile(dir, { url: 'ws://127.0.0.1:1234/ws', token: 't0k', mode: 'serve' });
    const file = endpointFilePath(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      url: 'ws://127.0.0.1:1234/ws',
      token: 't0k',
      pid: process.pid,
      mode: 'serve',
    });
    remove();
    expect(existsSync(file)).toBe(false);
  });

  it('names a live host, and ignores a dead one, a malformed file or none', () => {
    const write = (body: unknown) => writeFileSync(endpointFilePath(dir), JSON.stringify(body), { mode: 0o600 });
    expect(readEndpointFile(dir)).toBeNull();
    // Our parent process is alive (startTime null: not compared).
    write({ url: 'ws://127.0.0.1:9/ws', token: 'x', pid: process.ppid, startTime: null, mode: 'serve' });
    expect(readEndpointFile(dir)).toMatchObject({ pid: process.ppid });
    write({ url: 'ws://127.0.0.1:9/ws', token: 'x', pid: deadPid(), startTime: null, mode: 'serve' });
    expect(readEndpointFile(dir)).toBeNull();
    write({ url: 'http://elsewhere', token: 'x', pid: process.ppid, startTime: null, mode: 'serve' });
    expect(readEndpointFile(dir)).toBeNull();
    writeFileSync(endpointFilePath(dir), 'not json');
    expect(readEndpointFile(dir)).toBeNull();
  });

  it('leaves a file another host wrote since', () => {
    const remove = writeEndpointFile(dir, { url: 'ws://127.0.0.1:1/ws', token: 'a', mode: 'serve' });
    writeFileSync(
      endpointFilePath(dir),
      JSON.stringify({ url: 'ws://127.0.0.1:2/ws', token: 'b', pid: process.ppid, startTime: null, mode: 'serve' }),
    );
    remove();
    expect(existsSync(endpointFilePath(dir))).toBe(true);
  });
});
