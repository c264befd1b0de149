// The JSON Schema of every payload that crosses NATS, generated from the zod schemas in wire.ts
// (z.toJSONSchema) as the file docs/nats-schema.json. A unit test keeps that file equal to this
// output (OVERSEER_WRITE_DOCS=1 rewrites it), so the published schema never drifts from the code.
import { z } from 'zod';
import { NATS_PAYLOADS } from './wire.js';

export const SCHEMA_FILE = 'docs/nats-schema.json';

export function natsSchemaDocument(): string {
  const payloads: Record<string, unknown> = {};
  for (const [title, schema] of Object.entries(NATS_PAYLOADS)) {
    payloads[title] = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' });
  }
  const document = {
    $comment:
      'Generated from src/main/nats/wire.ts by tests/unit/nats/schema-doc.test.ts (OVERSEER_WRITE_DOCS=1); do not edit by hand. See docs/nats.md.',
    payloads,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
