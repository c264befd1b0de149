import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildClaudeArgs } from '../../../src/main/driver/claude-process.js';
import { PERMISSION_PROMPT_TOOL, STDIO_PROMPT_TOOL } from '../../../src/main/driver/mcp-config.js';
import { ClaudeNotFoundError, findClaude, INSTALL_HINT } from '../../../src/main/driver/find-claude.js';
import { writeMcpConfig } from '../../../src/main/driver/mcp-config.js';

const base = {
  prompt: 'hi',
  resumeSessionId: null,
  mcpConfigPath: null,
  permissionPromptTool: null,
  model: null,
  settingSources: null,
  extraArgs: [],
};

describe('buildClaudeArgs', () => {
  it('default only: -p hi --output-format stream-json --verbose', () => {
    expect(buildClaudeArgs(base)).toEqual(['-p', 'hi', '--output-format', 'stream-json', '--verbose']);
  });

  it('stdio prompts: no MCP config, and strict so that no MCP server of the user or the repository starts', () => {
    expect(buildClaudeArgs({ ...base, prompt: null, permissionPromptTool: STDIO_PROMPT_TOOL })).toEqual([
      '-p',
      '--input-format',
      'stream-json',
      '--output-format',
      'stream-json',
      '--verbose',
      '--strict-mcp-config',
      '--permission-prompt-tool',
      'stdio',
    ]);
  });

  it('full bundle in the fixed order', () => {
    expect(
      buildClaudeArgs({
        prompt: 'do it',
        resumeSessionId: 'sess-1',
        mcpConfigPath: '/data/goals/g/mcp-config.json',
        permissionPromptTool: PERMISSION_PROMPT_TOOL,
        model: 'claude-sonnet-4-5',
        settingSources: 'user',
        extraArgs: ['--max-turns', '30'],
      }),
    ).toEqual([
      '-p',
      'do it',
      '--output-format',
      'stream-json',
      '--verbose',
      '--resume',
      'sess-1',
      '--mcp-config',
      '/data/goals/g/mcp-config.json',
      '--strict-mcp-config',
      '--permission-prompt-tool',
      'mcp__overseer__permission_prompt',
      '--model',
      'claude-sonnet-4-5',
      '--setting-sources',
      'user',
      '--max-turns',
      '30',
    ]);
  });

  it("the goal's tool options: extra directories, allowed and disallowed tools, appended system prompt (before extra args)", () => {
    const args = buildClaudeArgs({
      ...base,
      settingSources: 'user',
      extraArgs: ['--max-turns', '30'],
      tools: {
        allowed: ['Read', 'Bash(git diff:*)'],
        disallowed: ['WebFetch', 'Write'],
        addDirs: ['/data/shared', '/data/docs'],
        appendSystemPrompt: 'Prefer small commits.',
      },
    });
    expect(args.slice(5)).toEqual([
      '--setting-sources',
      'user',
      '--add-dir',
      '/data/shared',
      '--add-dir',
      '/data/docs',
      '--allowedTools',
      'Read,Bash(git diff:*)',
      '--disallowedTools',
      'WebFetch,Write',
      '--append-system-prompt',
      'Prefer small commits.',
      '--max-turns',
      '30',
    ]);
  });

  it('empty tool options add nothing', () => {
    expect(
      buildClaudeArgs({ ...base, tools: { allowed: [], disallowed: [], addDirs: [], appendSystemPrompt: '  ' } }),
    ).toEqual(buildClaudeArgs(base));
  });

  it('a prompt starting with "-" is not taken for an option', () => {
    expect(buildClaudeArgs({ ...base, prompt: '-x fix it' })[1]).toBe(' -x fix it');
  });
});

describe('findClaude', () => {
  let dir: string;
  let bin: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'find-claude-'));
    bin = join(dir, 'claude');
    writeFileSync(bin, '#!/bin/sh\necho fake\n');
    chmodSync(bin, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes --claude, then the setting, then OVERSEER_CLAUDE_BIN', async () => {
    expect(await findClaude({ explicit: bin, setting: '/nope', env: {} })).toEqual({ path: bin, source: 'flag' });
    expect(await findClaude({ setting: bin, env: { OVERSEER_CLAUDE_BIN: '/nope' } })).toEqual({
      path: bin,
      source: 'setting',
    });
    expect(await findClaude({ env: { OVERSEER_CLAUDE_BIN: bin } })).toEqual({ path: bin, source: 'env' });
  });

  it('an explicit path that is not executable is an error naming where it came from', async () => {
    await expect(findClaude({ explicit: join(dir, 'missing'), env: { PATH: dir } })).rejects.toThrow(/from --claude/);
    writeFileSync(join(dir, 'plain'), 'x');
    await expect(findClaude({ env: { OVERSEER_CLAUDE_BIN: join(dir, 'plain') } })).rejects.toThrow(
      /OVERSEER_CLAUDE_BIN/,
    );
  });

  it('searches PATH', async () => {
    expect(await findClaude({ env: { PATH: `/nonexistent:${dir}` }, useLoginShell: false })).toEqual({
      path: bin,
      source: 'path',
    });
  });

  it("asks the login shell's PATH when PATH has none", async () => {
    const shell = join(dir, 'fake-shell');
    // A "login shell" whose PATH includes dir: prints the path of claude like `command -v` would.
    writeFileSync(shell, `#!/bin/sh\necho "welcome banner"\necho "${bin}"\n`);
    chmodSync(shell, 0o755);
    expect(await findClaude({ env: { PATH: '/nonexistent', SHELL: shell } })).toEqual({
      path: bin,
      source: 'login_shell',
    });
  });

  it('none found → one clear error with the install hint', async () => {
    const search = findClaude({ env: { PATH: '/nonexistent', SHELL: '/bin/false' } });
    await expect(search).rejects.toBeInstanceOf(ClaudeNotFoundError);
    await expect(search).rejects.toThrow(
      `Claude Code (\`claude\`) was not found on PATH or in your login shell's PATH. ${INSTALL_HINT}`,
    );
    expect(INSTALL_HINT).toContain('npm install -g @anthropic-ai/claude-code');
  });
});

describe('writeMcpConfig', () => {
  it('writes the overseer stdio server to <dir>/<goal>/mcp-config.json with mode 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-config-'));
    try {
      const path = await writeMcpConfig(dir, '6c0b3f0e-1d8e-4a53-9a3e-0f6c2b1d9e01', {
        command: '/usr/bin/node',
        args: ['bridge.js', '--goal', 'g'],
        env: { OVERSEER_SECRET: 's' },
      });
      expect(path).toBe(join(dir, '6c0b3f0e-1d8e-4a53-9a3e-0f6c2b1d9e01', 'mcp-config.json'));
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
        mcpServers: {
          overseer: {
            type: 'stdio',
            command: '/usr/bin/node',
            args: ['bridge.js', '--goal', 'g'],
            env: { OVERSEER_SECRET: 's' },
          },
        },
      });
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, '6c0b3f0e-1d8e-4a53-9a3e-0f6c2b1d9e01')).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
