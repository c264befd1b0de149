// The MCP round trip measured where Claude Code makes it: from a client process of its own, not
// from the bench process that also holds the host. Run as a child of run.ts (this file's main
// part): it starts the bridge as Claude does (the MCP SDK's stdio client), calls the permission
// tool `warmup + requests` times one after another, and prints one JSON line: each measured
// request's time (ms, its own clock) and its own CPU per request. The parent keeps the host; so
// the host's heap no longer carries the client's garbage, and the client's garbage collections no
// longer pause the host. `ownProcessRoundTrip` is the parent's side.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { clientSamples, stats } from './stats.js';

const SpecSchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  cwd: z.string(),
  tool: z.string(),
  requests: z.number().int().positive(),
  warmup: z.number().int().nonnegative(),
});
type Spec = z.infer<typeof SpecSchema>;

const ReportSchema = z.object({ samples: z.array(z.number()), cpuUsPerRequest: z.number() });

const answerSchema = z.object({ content: z.tuple([z.object({ type: z.literal('text'), text: z.string() })]) });
const allowSchema = z.object({ behavior: z.literal('allow'), updatedInput: z.record(z.string(), z.unknown()) });

const self = fileURLToPath(import.meta.url);

/** Runs the client process on the bridge `spec` names; its times, as `measure` reports them. */
export async function ownProcessRoundTrip(
  spec: Spec,
): Promise<{ p50: number; p99: number; mean: number; clientCpuUs: number }> {
  const tsx = join(dirname(self), '../../node_modules/tsx/dist/loader.mjs');
  const child = spawn(process.execPath, ['--import', tsx, self, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`the client process exited ${code}: ${out.slice(-500)}`);
  const report = ReportSchema.parse(JSON.parse(out.trim().split('\n').at(-1) ?? ''));
  return { ...stats(report.samples), clientCpuUs: report.cpuUsPerRequest };
}

async function clientMain(spec: Spec): Promise<void> {
  const transport = new StdioClientTransport({
    command: spec.command,
    args: spec.args,
    env: { ...getDefaultEnvironment(), ...spec.env },
    cwd: spec.cwd,
    stderr: 'inherit',
  });
  const client = new Client({ name: 'permission-bench-own-process', version: '1' });
  await client.connect(transport);
  const once = async (i: number): Promise<void> => {
    const result = await client.callTool(
      { name: spec.tool, arguments: { tool_name: 'Bash', input: { command: `echo ${i}` }, tool_use_id: `toolu_${i}` } },
      CallToolResultSchema,
    );
    const answer = allowSchema.parse(JSON.parse(answerSchema.parse(result).content[0].text));
    if (answer.updatedInput['command'] !== `echo ${i}`) throw new Error('wrong decision');
  };
  const report = await clientSamples(spec.requests, spec.warmup, once);
  await client.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (process.argv[1] === self) {
  await clientMain(SpecSchema.parse(JSON.parse(process.argv[2] ?? '')));
}
