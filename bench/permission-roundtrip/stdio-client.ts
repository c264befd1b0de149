// The permission round trip as the default (long-lived) Claude process makes it: a prompt written as a
// `control_request` line on the client's stdout, read by the host (this bench process) with the driver's
// own StdioPrompts, decided by the real permission service (broker, stored rule, the record in the
// database), and answered as a `control_response` line on the client's stdin. No bridge, no socket.
//
// The client runs in a process of its own (this file's main part), as Claude does, and writes bare JSON
// lines: Claude's own cost of writing a prompt is not in it (the MCP legs' SDK client costs about 290 µs
// of CPU a request, which is the client's share there). `stdioRoundTrip` is the host's side.
// With `floor`, the host answers each line at once without parsing it (a bare echo through the same two
// pipes): the machine's floor for this shape.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StdioPrompts } from '../../src/main/driver/stdio-prompts.js';
import type { PermissionPrompts } from '../../src/main/driver/ports.js';
import { clientSamples, stats } from './stats.js';

const SpecSchema = z.object({ requests: z.number().int().positive(), warmup: z.number().int().nonnegative() });
type Spec = z.infer<typeof SpecSchema>;

const ReportSchema = z.object({
  type: z.literal('bench_report'),
  samples: z.array(z.number()),
  cpuUsPerRequest: z.number(),
});

const ResponseSchema = z.object({
  type: z.literal('control_response'),
  response: z.object({
    subtype: z.literal('success'),
    request_id: z.string(),
    response: z.object({ behavior: z.literal('allow'), updatedInput: z.record(z.string(), z.unknown()) }),
  }),
});

const self = fileURLToPath(import.meta.url);

export interface StdioRoundTrip {
  p50: number;
  p99: number;
  mean: number;
  /** The client process's CPU per request (Claude's side, here a bare line writer). */
  clientCpuUs: number;
  /** This process's CPU per request (the host: StdioPrompts, the broker, the record). */
  hostCpuUs: number;
}

/** Runs the client process against `prompts` (or, with `floor`, against a bare echo); its times. */
export async function stdioRoundTrip(
  spec: Spec & { prompts: PermissionPrompts | 'floor'; warn: (message: string) => void },
): Promise<StdioRoundTrip> {
  const tsx = join(dirname(self), '../../node_modules/tsx/dist/loader.mjs');
  const child = spawn(
    process.execPath,
    ['--import', tsx, self, JSON.stringify({ requests: spec.requests, warmup: spec.warmup })],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const host =
    spec.prompts === 'floor'
      ? null
      : new StdioPrompts({
          prompts: spec.prompts,
          write: (line) => child.stdin.write(`${line}\n`),
          warn: spec.warn,
        });
  let report = '';
  const cpuBefore = process.cpuUsage();
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{"type":"bench_report"')) {
      report = line;
      child.stdin.end();
      return;
    }
    if (host === null) child.stdin.write(`${line}\n`);
    else host.read(line);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const cpu = process.cpuUsage(cpuBefore);
  host?.end();
  if (code !== 0) throw new Error(`the stdio client process exited ${code}`);
  const parsed = ReportSchema.parse(JSON.parse(report));
  return {
    ...stats(parsed.samples),
    clientCpuUs: parsed.cpuUsPerRequest,
    hostCpuUs: (cpu.user + cpu.system) / (spec.requests + spec.warmup),
  };
}

/** Claude's side: one prompt line out, its answer line in, one after another. */
async function clientMain(spec: Spec): Promise<void> {
  const waiting = new Map<string, (line: string) => void>();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    // An echoed request (the floor) carries its id as request_id; an answer carries it in `response`.
    const id = /"request_id":"([^"]+)"/.exec(line)?.[1] ?? '';
    waiting.get(id)?.(line);
  });
  const once = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const id = `req-${i}`;
      waiting.set(id, (line) => {
        waiting.delete(id);
        if (line.includes('"control_request"')) return resolve(); // the floor's echo
        const answer = ResponseSchema.safeParse(JSON.parse(line));
        if (!answer.success || answer.data.response.response.updatedInput['command'] !== `echo ${i}`) {
          reject(new Error(`wrong answer to ${id}: ${line}`));
          return;
        }
        resolve();
      });
      process.stdout.write(
        `${JSON.stringify({
          type: 'control_request',
          request_id: id,
          request: {
            subtype: 'can_use_tool',
            tool_name: 'Bash',
            display_name: 'Bash',
            input: { command: `echo ${i}` },
            tool_use_id: `toolu_${i}`,
          },
        })}\n`,
      );
    });
  const report = await clientSamples(spec.requests, spec.warmup, once);
  process.stdout.write(`${JSON.stringify({ type: 'bench_report', ...report })}\n`);
  lines.close();
}

if (process.argv[1] === self) {
  await clientMain(SpecSchema.parse(JSON.parse(process.argv[2] ?? '')));
}
