import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main.js';
import { OVERSEER_VERSION } from '../../../src/main/version.js';

async function capture(argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runCli(argv, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

describe('overseer CLI', () => {
  it('--help lists the subcommands', async () => {
    const { code, text } = await capture(['--help']);
    expect(code).toBe(0);
    expect(text).toMatch(/^\s+serve\s/m);
  });
  it('--version prints the package version', async () => {
    expect(await capture(['--version'])).toEqual({ code: 0, text: OVERSEER_VERSION });
    expect(OVERSEER_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
  it('serve --help explains the options; bad input exits 1', async () => {
    expect((await capture(['help', 'serve'])).text).toContain('--port');
    expect((await capture(['serve', '--port', 'abc'])).code).toBe(1);
    expect((await capture(['frobnicate'])).code).toBe(1);
  });
});
