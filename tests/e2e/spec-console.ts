// One console per spec file: a fixture repository and the console (host + browser server + the fake
// model running `script`) made before the file's tests and removed after them. The spec reads them as
// `spec.env` and `spec.repo` (set once beforeAll has run).
import { mkdirSync } from 'node:fs';
import { test } from '@playwright/test';
import type { FakeScript } from '../fake-model/server.js';
import { consoleWithModel, type ConsoleWithModel } from '../helpers/console-with-model.js';
import type { FixtureRepo } from '../helpers/fixture-repo.js';

export class SpecConsole {
  #env: ConsoleWithModel | undefined;
  #repo: FixtureRepo | undefined;

  get env(): ConsoleWithModel {
    if (this.#env === undefined) throw new Error('the console starts in beforeAll');
    return this.#env;
  }

  get repo(): FixtureRepo {
    if (this.#repo === undefined) throw new Error('the fixture repository is made in beforeAll');
    return this.#repo;
  }

  /** Called by consoleForSpec's hooks only. */
  async start(script: FakeScript, makeRepo: () => FixtureRepo): Promise<void> {
    this.#repo = makeRepo();
    this.#env = await consoleWithModel(script);
  }

  async stop(): Promise<void> {
    await this.#env?.close();
    this.#repo?.remove();
  }
}

/**
 * Registers the file's beforeAll/afterAll for a console running `script` over the repository
 * `makeRepo` creates; `shotsDir`, when given, is created first (screenshots go there).
 */
export function consoleForSpec(
  script: FakeScript,
  makeRepo: () => FixtureRepo,
  options: { shotsDir?: string } = {},
): SpecConsole {
  const spec = new SpecConsole();
  test.beforeAll(async () => {
    if (options.shotsDir !== undefined) mkdirSync(options.shotsDir, { recursive: true });
    await spec.start(script, makeRepo);
  });
  test.afterAll(async () => {
    await spec.stop();
  });
  return spec;
}
