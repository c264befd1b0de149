// docs/nats-schema.json is the JSON Schema generated from the zod schemas of the NATS payloads:
// it must equal what the code generates now (OVERSEER_WRITE_DOCS=1 rewrites it), and it must
// describe what a runner really sends (a sample event validates against the zod schema it came from).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { natsSchemaDocument, SCHEMA_FILE } from '../../../src/main/nats/schema-doc.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('the published NATS payload schema', () => {
  it('is up to date with src/main/nats/wire.ts', () => {
    const file = join(repo, SCHEMA_FILE);
    const current = natsSchemaDocument();
    if (process.env['OVERSEER_WRITE_DOCS'] === '1') writeFileSync(file, current);
    expect(
      readFileSync(file, 'utf8'),
      `${SCHEMA_FILE} is stale: run OVERSEER_WRITE_DOCS=1 npx vitest run tests/unit/nats/schema-doc.test.ts`,
    ).toBe(current);
  });

  it('documents the event, presence and command reply payloads with their required fields', () => {
    const parsed = JSON.parse(natsSchemaDocument()) as { payloads: Record<string, { required?: string[] }> };
    expect(Object.keys(parsed.payloads)).toHaveLength(3);
    const event = parsed.payloads['event (stream OVERSEER_EVENTS)'];
    expect(event?.required).toEqual(expect.arrayContaining(['runner', 'logSeq', 'at', 'event']));
    const presence = parsed.payloads['runner presence (KV overseer_runners)'];
    expect(presence?.required).toEqual(
      expect.arrayContaining(['name', 'freeSlots', 'claudeBinary', 'heartbeatMs', 'state']),
    );
  });
});
