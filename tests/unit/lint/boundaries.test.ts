// The import boundaries are enforced by ESLint rules; this proves the rules fire.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const cwd = new URL('../../..', import.meta.url).pathname;
// The fixtures below are virtual files (src/main/x.ts...), which no tsconfig project contains, so
// the type-aware rules' parser setting is turned off for them; the type-aware rules themselves are
// proven with the real configuration, on the text of a real file path (typedMessagesFor).
const eslint = new ESLint({
  cwd,
  overrideConfig: [
    {
      files: ['src/main/**/*.ts'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  ],
});
const typedEslint = new ESLint({ cwd });

async function messagesFor(filePath: string, code: string, linter: ESLint = eslint): Promise<string[]> {
  const [result] = await linter.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}
/** Lints `code` as if it were the host's real file src/main/host/host-lock.ts, with the real configuration. */
const typedMessagesFor = (code: string) => messagesFor('src/main/host/host-lock.ts', code, typedEslint);

describe('lint boundaries', () => {
  it('src/main never imports electron', async () => {
    expect(await messagesFor('src/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringContaining('Only electron/ may import electron'),
    ]);
  });
  it('src/renderer imports only src/shared', async () => {
    const bad = await messagesFor(
      'src/renderer/x.ts',
      "import { createHost } from '../main/host/host.js';\nexport const a = createHost;\n",
    );
    expect(bad).toEqual([expect.stringContaining('src/renderer may import src/shared only')]);
    expect(
      await messagesFor(
        'src/renderer/x.ts',
        "import { commands } from '../shared/contract';\nexport const a = commands;\n",
      ),
    ).toEqual([]);
  });
  it('src/shared imports nothing of ours', async () => {
    const bad = await messagesFor(
      'src/shared/domain/x.ts',
      "import { api } from '../../renderer/api';\nexport const a = api;\n",
    );
    expect(bad).toEqual([expect.stringContaining('src/shared imports nothing of ours')]);
  });
  it('any is an error', async () => {
    expect(await messagesFor('src/main/x.ts', 'export const a: any = 1;\n')).toEqual([
      expect.stringContaining('no-explicit-any'),
    ]);
  });

  it('the driver imports only src/shared and its own modules', async () => {
    const code = (from: string) => `import { x } from '${from}';\nexport const a = x;\n`;
    expect(await messagesFor('src/main/driver/x.ts', code('../store/index.js'))).toEqual([
      expect.stringContaining('src/main/driver imports only src/shared'),
    ]);
    expect(await messagesFor('src/main/driver/x.ts', code('../paths.js'))).toEqual([
      expect.stringContaining('src/main/driver imports only src/shared'),
    ]);
    expect(await messagesFor('src/main/driver/acceptance/x.ts', code('../../host/host.js'))).toEqual([
      expect.stringContaining('src/main/driver imports only src/shared'),
    ]);
    expect(await messagesFor('src/main/driver/x.ts', code('./ports.js'))).toEqual([]);
    expect(await messagesFor('src/main/driver/x.ts', code('../../shared/domain/goal.js'))).toEqual([]);
    expect(await messagesFor('src/main/driver/acceptance/x.ts', code('../stream.js'))).toEqual([]);
    expect(await messagesFor('src/main/driver/acceptance/x.ts', code('../../../shared/domain/goal.js'))).toEqual([]);
    // The layer rules keep src/main's own: still no electron.
    expect(await messagesFor('src/main/driver/x.ts', code('electron'))).toEqual([
      expect.stringContaining('Only electron/ may import electron'),
    ]);
  });

  it('store and workspace never import the host; the host never imports the CLI or the server', async () => {
    const code = (from: string) => `import { x } from '${from}';\nexport const a = x;\n`;
    expect(await messagesFor('src/main/store/x.ts', code('../host/host.js'))).toEqual([
      expect.stringContaining('store and workspace never import the host'),
    ]);
    expect(await messagesFor('src/main/workspace/x.ts', code('../host/host.js'))).toEqual([
      expect.stringContaining('store and workspace never import the host'),
    ]);
    expect(await messagesFor('src/main/store/x.ts', code('../driver/index.js'))).toEqual([]);
    expect(await messagesFor('src/main/host/x.ts', code('../cli/main.js'))).toEqual([
      expect.stringContaining('the host never imports the CLI or the server'),
    ]);
    expect(await messagesFor('src/main/host/handlers/x.ts', code('../../server/browser-server.js'))).toEqual([
      expect.stringContaining('the host never imports the CLI or the server'),
    ]);
    expect(await messagesFor('src/main/cli/x.ts', code('../host/index.js'))).toEqual([]);
    expect(await messagesFor('src/main/host/x.ts', code('electron'))).toEqual([
      expect.stringContaining('Only electron/ may import electron'),
    ]);
  });

  it('the CLI never imports a command handler module (shared logic lives in host/services)', async () => {
    const code = (from: string) => `import { x } from '${from}';\nexport const a = x;\n`;
    expect(await messagesFor('src/main/cli/x.ts', code('../host/handlers/goals.js'))).toEqual([
      expect.stringContaining('the CLI never imports a command handler module'),
    ]);
    expect(await messagesFor('src/main/cli/host-client/x.ts', code('../../host/handlers/land.js'))).toEqual([
      expect.stringContaining('the CLI never imports a command handler module'),
    ]);
    // The services reach the CLI through the host's index.ts.
    expect(await messagesFor('src/main/cli/x.ts', code('../host/index.js'))).toEqual([]);
    // The CLI keeps src/main's own rules.
    expect(await messagesFor('src/main/cli/x.ts', code('electron'))).toEqual([
      expect.stringContaining('Only electron/ may import electron'),
    ]);
    expect(await messagesFor('src/main/cli/x.ts', code('../../renderer/api/index.js'))).toEqual([
      expect.stringContaining('src/main may import src/shared only'),
    ]);
  });

  it('a module of src/main reaches another module only through its index.ts (barrel-only imports)', async () => {
    const code = (from: string) => `import { x } from '${from}';\nexport const a = x;\n`;
    const refused: [file: string, from: string][] = [
      ['src/main/host/x.ts', '../workspace/manager.js'],
      ['src/main/host/handlers/x.ts', '../../driver/find-claude.js'],
      ['src/main/cli/x.ts', '../host/host.js'],
      ['src/main/cli/host-client/x.ts', '../../server/cli-endpoint.js'],
      ['src/main/store/x.ts', '../driver/ports.js'],
      ['src/main/workspace/x.ts', '../driver/process-identity.js'],
      ['src/main/nats/x.ts', '../cli/host-client/client.js'],
      ['src/main/server/x.ts', '../host/endpoint-file.js'],
      ['src/main/permission/broker.ts', '../driver/ports.js'],
      ['src/main/x.ts', './store/database.js'],
    ];
    for (const [file, from] of refused) {
      expect(await messagesFor(file, code(from)), `${file} importing ${from}`).toEqual([
        expect.stringContaining('through its index.ts'),
      ]);
    }
    // A dynamic import, a re-export and a type-only import are imports too.
    const dynamic = (from: string) => `export async function f() {\n  return (await import('${from}')).x;\n}\n`;
    expect(await messagesFor('src/main/cli/x.ts', dynamic('../nats/connection.js'))).toEqual([
      expect.stringContaining('through its index.ts'),
    ]);
    expect(await messagesFor('src/main/cli/x.ts', dynamic('../nats/index.js'))).toEqual([]);
    expect(await messagesFor('src/main/store/x.ts', "export { x } from '../driver/process-identity.js';\n")).toEqual([
      expect.stringContaining('through its index.ts'),
    ]);
    expect(
      await messagesFor(
        'src/main/host/x.ts',
        "import type { Workspace } from '../driver/ports.js';\nexport type A = Workspace;\n",
      ),
    ).toEqual([expect.stringContaining('through its index.ts')]);

    const accepted: [file: string, from: string][] = [
      ['src/main/host/x.ts', '../workspace/index.js'],
      ['src/main/host/handlers/x.ts', '../../driver/index.js'],
      ['src/main/cli/x.ts', '../host/index.js'],
      ['src/main/store/x.ts', '../driver/index.js'],
      ['src/main/nats/x.ts', '../cli/index.js'],
      ['src/main/x.ts', './store/index.js'],
      // Inside a module, files import each other directly.
      ['src/main/host/x.ts', './services/summaries.js'],
      ['src/main/host/handlers/x.ts', '../command-error.js'],
      ['src/main/workspace/x.ts', './land-git.js'],
      // Not modules: the shared contract and src/main's own top-level files.
      ['src/main/host/x.ts', '../../shared/contract.js'],
      ['src/main/host/x.ts', '../paths.js'],
    ];
    for (const [file, from] of accepted) {
      expect(await messagesFor(file, code(from)), `${file} importing ${from}`).toEqual([]);
    }
  });

  it('the desktop shell reaches the modules of src/main only through their index.ts', async () => {
    const code = (from: string) => `import { x } from '${from}';\nexport const a = x;\n`;
    expect(await messagesFor('electron/x.ts', code('../src/main/host/host.js'))).toEqual([
      expect.stringContaining('through its index.ts'),
    ]);
    expect(await messagesFor('electron/x.ts', code('../src/main/server/cli-endpoint.js'))).toEqual([
      expect.stringContaining('through its index.ts'),
    ]);
    expect(await messagesFor('electron/x.ts', code('../src/main/host/index.js'))).toEqual([]);
    expect(await messagesFor('electron/x.ts', code('../src/main/asar-paths.js'))).toEqual([]);
  });

  it('the permission bridge alone may load the MCP names straight from driver/mcp-config.ts', async () => {
    const code = (from: string) => `import { x } from '${from}';\nexport const a = x;\n`;
    expect(await messagesFor('src/main/permission/bridge-mcp.ts', code('../driver/mcp-config.js'))).toEqual([]);
    expect(await messagesFor('src/main/permission/bridge-mcp.ts', code('../driver/orchestrator.js'))).toEqual([
      expect.stringContaining('through its index.ts'),
    ]);
    expect(await messagesFor('src/main/permission/broker.ts', code('../driver/mcp-config.js'))).toEqual([
      expect.stringContaining('through its index.ts'),
    ]);
  });

  it('the renderer keeps the rules of hooks (rules-of-hooks, exhaustive-deps)', async () => {
    const conditional =
      "import { useState } from 'react';\nexport function A({ on }: { on: boolean }) {\n  if (on) useState(0);\n  return null;\n}\n";
    expect(await messagesFor('src/renderer/x.tsx', conditional)).toEqual([
      expect.stringContaining('react-hooks/rules-of-hooks'),
    ]);
    const missingDep =
      "import { useEffect } from 'react';\nexport function A({ n }: { n: number }) {\n  useEffect(() => console.log(n), []);\n  return null;\n}\n";
    expect(await messagesFor('src/renderer/x.tsx', missingDep)).toEqual([
      expect.stringContaining('react-hooks/exhaustive-deps'),
    ]);
  });

  it('the host has the type-aware promise rules (no-floating-promises, no-misused-promises)', async () => {
    const floating = 'async function work(): Promise<void> {}\nexport function start(): void {\n  work();\n}\n';
    expect(await typedMessagesFor(floating)).toEqual([
      expect.stringContaining('@typescript-eslint/no-floating-promises'),
    ]);
    const awaited =
      'async function work(): Promise<void> {}\nexport async function start(): Promise<void> {\n  await work();\n}\n';
    expect(await typedMessagesFor(awaited)).toEqual([]);
    const misused = 'export function check(ready: Promise<boolean>): string {\n  return ready ? "yes" : "no";\n}\n';
    expect(await typedMessagesFor(misused)).toEqual([
      expect.stringContaining('@typescript-eslint/no-misused-promises'),
    ]);
  });
});
