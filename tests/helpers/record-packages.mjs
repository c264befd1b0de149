// Loaded with `node --import` into a child process under test: records the name of every npm package
// that process's modules import, one per line, into the file named by OVERSEER_RECORD_PACKAGES. It
// sees ES module imports (how the built CLI's chunks reach their dependencies), not a package's own
// require() calls inside it. Plain JavaScript so it loads into the built CLI unchanged.
import { register } from 'node:module';

const file = process.env['OVERSEER_RECORD_PACKAGES'];
if (file !== undefined && file !== '') {
  register(new URL('./record-packages-hooks.mjs', import.meta.url), { data: file });
}
