// Risk badges of a tool call and workspace-relative paths: what the approval card flags and how
// it names files.
import { describe, expect, it } from 'vitest';
import { toolRisks, type RiskKind } from '../../../src/shared/tool-risk.js';
import { isInsideWorkspace, normalizePath, workspaceRelative } from '../../../src/shared/workspace-paths.js';

const WS = '/home/me/.overseer/worktrees/abc';
const bash = (command: string): RiskKind[] => toolRisks('Bash', { command }, WS).map((badge) => badge.kind);

describe('toolRisks: Bash', () => {
  it('recursive deletes in their usual spellings, not plain rm', () => {
    expect(bash('rm -rf build')).toEqual(['recursive_delete']);
    expect(bash('rm -fr build')).toEqual(['recursive_delete']);
    expect(bash('rm -R dist')).toEqual(['recursive_delete']);
    expect(bash('rm --recursive dist')).toEqual(['recursive_delete']);
    expect(bash('cd x && /bin/rm -r y')).toEqual(['recursive_delete']);
    expect(bash('find . -name "*.o" -delete')).toEqual(['recursive_delete']);
    expect(bash('git clean -fdx')).toEqual(['recursive_delete']);
    expect(bash('rm notes.txt')).toEqual([]);
    expect(bash('echo "rm -rf /"')).toEqual([]);
  });

  it('force pushes (and plain pushes only as network)', () => {
    expect(bash('git push --force origin main')).toEqual(['force_push', 'network']);
    expect(bash('git push -f')).toEqual(['force_push', 'network']);
    expect(bash('git -C repo push --force-with-lease')).toEqual(['force_push', 'network']);
    expect(bash('git push origin +main')).toEqual(['force_push', 'network']);
    expect(bash('git push origin main')).toEqual(['network']);
    expect(bash('git status -f')).toEqual([]);
  });

  it('a download piped into a shell, in a pipeline or a substitution', () => {
    expect(bash('curl -fsSL https://x.sh | sh')).toEqual(['network', 'pipe_to_shell']);
    expect(bash('wget -qO- https://x | sudo bash')).toEqual(['network', 'root', 'pipe_to_shell']);
    expect(bash('sh -c "$(curl -fsSL https://x)"')).toContain('pipe_to_shell');
    expect(bash('bash <(curl -s https://x)')).toContain('pipe_to_shell');
    expect(bash('curl https://x > out.txt; cat out.txt | sh')).not.toContain('pipe_to_shell');
    expect(bash('cat script | sh')).toEqual([]);
  });

  it('network tools and git remote operations', () => {
    expect(bash('ssh host uptime')).toEqual(['network']);
    expect(bash('FOO=1 rsync -a a/ host:b/')).toEqual(['network']);
    expect(bash('git fetch origin')).toEqual(['network']);
    expect(bash('git log --oneline')).toEqual([]);
    expect(bash('npm test')).toEqual([]);
  });

  it('redirections outside the worktree, but not /dev/null or relative paths', () => {
    expect(bash('echo x > /etc/hosts')).toEqual(['outside_workspace']);
    expect(bash('echo x >> ~/.bashrc')).toEqual(['outside_workspace']);
    expect(bash('echo x | tee -a /tmp/log')).toEqual(['outside_workspace']);
    expect(bash(`echo x > ${WS}/notes.txt`)).toEqual([]);
    expect(bash('echo x > notes.txt 2>/dev/null')).toEqual([]);
    expect(bash('make 2>&1 | tail')).toEqual([]);
  });

  it('sudo is flagged', () => {
    expect(bash('sudo apt-get install x')).toEqual(['root']);
  });
});

describe('toolRisks: other tools', () => {
  it('file tools outside the worktree, including .. escapes; none without a workspace', () => {
    expect(toolRisks('Write', { file_path: '/etc/passwd', content: '' }, WS).map((b) => b.kind)).toEqual([
      'outside_workspace',
    ]);
    expect(
      toolRisks('Edit', { file_path: `${WS}/../other/x.ts`, old_string: 'a', new_string: 'b' }, WS).map((b) => b.kind),
    ).toEqual(['outside_workspace']);
    expect(toolRisks('Write', { file_path: `${WS}/src/x.ts`, content: '' }, WS)).toEqual([]);
    expect(toolRisks('Write', { file_path: 'src/x.ts', content: '' }, WS)).toEqual([]);
    expect(toolRisks('Write', { file_path: '/etc/passwd', content: '' }, null)).toEqual([]);
  });

  it('web tools are network; reads are not flagged', () => {
    expect(toolRisks('WebFetch', { url: 'https://example.com' }, WS).map((b) => b.kind)).toEqual(['network']);
    expect(toolRisks('Read', { file_path: '/etc/passwd' }, WS)).toEqual([]);
  });
});

describe('workspace paths', () => {
  it('normalizes and relates paths to the workspace', () => {
    expect(normalizePath('/a/./b//c/../d')).toBe('/a/b/d');
    expect(normalizePath('x/../../y', '/a/b')).toBe('/a/y');
    expect(isInsideWorkspace(`${WS}/src`, WS)).toBe(true);
    expect(isInsideWorkspace(`${WS}-other/src`, WS)).toBe(false);
    expect(workspaceRelative(`${WS}/src/app.ts`, WS)).toBe('src/app.ts');
    expect(workspaceRelative(`${WS}/`, WS)).toBe('.');
    expect(workspaceRelative('/etc/hosts', WS)).toBe('/etc/hosts');
    expect(workspaceRelative('/etc/hosts', null)).toBe('/etc/hosts');
  });
});
