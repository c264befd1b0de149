// For vitest suites that send commands to a running console: `overseer serve` (the build) over a
// data directory, started in the enclosing describe's beforeAll and stopped in its afterAll.
import { afterAll, beforeAll } from 'vitest';
import { serveConsole, type ServedConsole } from './serve.js';

/** Registers the hooks; `dataDir` is read when the console starts. Returns the running console. */
export function consoleDuringSuite(dataDir: () => string): () => ServedConsole {
  let served: ServedConsole | null = null;
  beforeAll(async () => {
    served = await serveConsole({ dataDir: dataDir() });
  });
  afterAll(async () => {
    await served?.stop();
  });
  return () => {
    if (served === null) throw new Error('the console starts in beforeAll');
    return served;
  };
}
