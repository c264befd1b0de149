// The import boundaries are enforced by ESLint rules; this proves the rules fire.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('../../..', import.meta.url).pathname });

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint boundaries', () => {
  it('src/main never imports electron', async () => {
    expect(await messagesFor('src/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringContaining('Only electron/ may import electron'),
    ]);
  });
  it('src/renderer imports only src/shared', async () => {
    const bad = await messagesFor('src/renderer/x.ts', "import { createHost } from '../main/host/host.js';\nexport const a = createHost;\n");
    expect(bad).toEqual([expect.stringContaining('src/renderer may import src/shared only')]);
    expect(await messagesFor('src/renderer/x.ts', "import { commands } from '../shared/contract';\nexport const a = commands;\n")).toEqual([]);
  });
  it('src/shared imports nothing of ours', async () => {
    const bad = await messagesFor('src/shared/domain/x.ts', "import { api } from '../../renderer/api';\nexport const a = api;\n");
    expect(bad).toEqual([expect.stringContaining('src/shared imports nothing of ours')]);
  });
  it('any is an error', async () => {
    expect(await messagesFor('src/main/x.ts', 'export const a: any = 1;\n')).toEqual([expect.stringContaining('no-explicit-any')]);
  });
});
