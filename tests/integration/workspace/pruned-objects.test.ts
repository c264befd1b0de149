// A tree object the host wrote once, then removed from the repository (`git prune`, `git gc
// --prune=now` after the goal that made it was deleted): a later checkpoint that has the same
// folder again writes that tree again, as `git write-tree` does, instead of naming an object the
// repository no longer has.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { git, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

/** The same new folder a goal's turn might make (a tree no commit of the repository has). */
function writeFeature(dir: string): void {
  writeFile(dir, 'feature/index.ts', 'export const feature = 1;\n');
  writeFile(dir, 'feature/inner/util.ts', 'export const util = 2;\n');
}

describe('a tree removed from the repository after the host wrote it', () => {
  it('is written again by the next checkpoint that needs it', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'README.md': 'readme\n', 'src/a.ts': 'a\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });

    const first = await manager.ensure(makeGoal(repo));
    await manager.checkpoint(first, 0, 'pre');
    writeFeature(first.path);
    const made = await manager.checkpoint(first, 0, 'post');
    const trees = ['feature', 'feature/inner'].map((path) => git(repo, ['rev-parse', `${made.sha}:${path}`]).trim());

    // The first goal deleted with its refs, then its objects pruned (here: their files removed).
    await manager.deleteWorkspace(first);
    await manager.deleteGoalRefs(first.goalId, repo);
    for (const id of trees) rmSync(join(repo, '.git', 'objects', id.slice(0, 2), id.slice(2)));
    for (const id of trees) expect(() => git(repo, ['cat-file', '-e', id])).toThrow();

    const second = await manager.ensure(makeGoal(repo));
    await manager.checkpoint(second, 0, 'pre');
    writeFeature(second.path);
    const again = await manager.checkpoint(second, 0, 'post');
    for (const [at, path] of ['feature', 'feature/inner'].entries()) {
      expect(git(repo, ['rev-parse', `${again.sha}:${path}`]).trim()).toBe(trees[at]);
    }
    for (const id of trees) git(repo, ['cat-file', '-e', id]);
    git(repo, ['fsck', '--strict', '--no-dangling']);
    expect(
      (await manager.diffStat(second, (await manager.listCheckpoints(second))[0]!.sha, again.sha)).files,
    ).toHaveLength(2);
  });
});
