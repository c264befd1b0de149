// Child of direct-git.test.ts ("a prepared git call"): prepares `git update-ref <ref> HEAD`
// in <repo> and then, by <mode>:
// - `left`: does nothing more; the process should end by itself, the gate still waiting;
// - `started-late`: starts the call from a timer and prints `ran <output>` when git has answered;
//   nothing else keeps the process alive meanwhile.
import { GitRunner } from '../../../src/main/workspace/git.js';

const [repo, mode, ref] = process.argv.slice(2);
if (repo === undefined || ref === undefined || (mode !== 'left' && mode !== 'started-late')) {
  throw new Error('usage: prepared-at-exit-child.ts <repo> left|started-late <ref>');
}
const runner = new GitRunner();
const head = (await runner.run({ cwd: repo, args: ['rev-parse', 'HEAD'] })).trim();
const prepared = runner.prepare({ cwd: repo, args: ['update-ref', ref, head] });
if (mode === 'started-late') {
  setTimeout(() => {
    prepared.start();
    void prepared.result.then((output) => process.stdout.write(`ran ${JSON.stringify(output)}\n`));
  }, 20);
}
