// Benchmark of the permission path: how long a permission prompt takes when a stored rule decides it,
// measured from an MCP client driving the real bridge process over stdio (as Claude Code does):
// client → stdio → bridge → Unix socket → PermissionServer → broker (rule, recorded in SQLite on :memory:) → back. Beside it, in the
// same run: the bridge's socket leg alone (PermissionSocketClient → server → broker → back) and a bare
// Unix-socket echo of a line of the same size. Prints p50/p99 of each and the ratios, and the CPU time
// each leg spends per request (this process, and the bridge process from /proc on Linux): on a busy
// machine the tail is mostly other processes' scheduling, and CPU time per request is what our code
// controls.
//
//   node --import tsx bench/permission-roundtrip/run.ts [--requests 3000] [--warmup 300]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { PermissionSocketClient } from '../../src/main/permission/bridge-client.js';
import { encodeFrame, FrameSplitter } from '../../src/main/permission/frames.js';
import { createPermissionService } from '../../src/main/permission/index.js';
import { PERMISSION_TOOL_NAME } from '../../src/main/driver/mcp-config.js';
import { permissionTestStores } from '../../tests/helpers/permission-stores.js';
import { sourceBridgeCommand } from '../../src/main/permission/source-bridge.js';
import { inPlaceWorkspace, testGoal } from '../../tests/helpers/goal.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '3000' }, warmup: { type: 'string', default: '300' } },
});
const REQUESTS = z.coerce.number().int().positive().parse(values.requests);
const WARMUP = z.coerce.number().int().nonnegative().parse(values.warmup);

const answerSchema = z.object({ content: z.tuple([z.object({ type: z.literal('text'), text: z.string() })]) });
const allowSchema = z.object({ behavior: z.literal('allow'), updatedInput: z.record(z.string(), z.unknown()) });

interface Stats {
  p50: number;
  p99: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

/** A CPU clock in ms: user + system time of some process so far, or null when it cannot be read. */
type CpuClock = () => number | null;

const thisProcessCpu: CpuClock = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** Another process's CPU clock, from /proc/<pid>/stat (utime + stime); null off Linux. */
function processCpu(pid: number | null): CpuClock {
  const ticks = clockTicksPerSecond();
  return () => {
    if (pid === null) return null;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
    } catch {
      return null;
    }
  };
}

interface Measured extends Stats {
  /** CPU µs per request of each clock given, over the measured requests (null: not readable). */
  cpuUs: (number | null)[];
}

async function measure(
  count: number,
  warmup: number,
  once: (i: number) => Promise<void>,
  clocks: CpuClock[] = [],
): Promise<Measured> {
  for (let i = 0; i < warmup; i++) await once(i);
  const samples: number[] = [];
  const before = clocks.map((clock) => clock());
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await once(warmup + i);
    samples.push(performance.now() - started);
  }
  const cpuUs = clocks.map((clock, index) => {
    const start = before[index];
    const end = clock();
    return start === null || start === undefined || end === null ? null : ((end - start) * 1000) / count;
  });
  return { ...stats(samples), cpuUs };
}

/** A bare Unix-socket echo server and a client that sends one line and waits for it back. */
async function echoRoundTrip(
  dir: string,
  line: string,
): Promise<{ once: () => Promise<void>; close: () => Promise<void> }> {
  const path = join(dir, 'echo.sock');
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const socket = createConnection(path);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const splitter = new FrameSplitter();
  let waiting: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    if (splitter.push(chunk).lines.length > 0) waiting?.();
  });
  return {
    once: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        socket.write(line);
      }),
    close: async () => {
      socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function format(label: string, s: Stats): string {
  return `  ${label.padEnd(62)} p50 ${s.p50.toFixed(3).padStart(8)} ms   p99 ${s.p99.toFixed(3).padStart(8)} ms   mean ${s.mean.toFixed(3).padStart(8)} ms`;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'perm-bench-'));
  const stores = permissionTestStores([
    {
      id: 'bench-rule',
      scope: { kind: 'everywhere' },
      tool: 'Bash',
      pattern: 'echo *',
      decision: 'allow',
      message: null,
      createdAt: new Date().toISOString(),
    },
  ]);
  let operatorAsked = 0;
  const service = createPermissionService({
    runtimeDir: join(root, 'run'),
    bridge: sourceBridgeCommand(),
    stores,
    events: {
      publish: (event) => {
        if (event.kind === 'permission_requested') operatorAsked++;
      },
    },
  });
  await service.start();
  const goal = testGoal({ description: 'benchmark', repoPath: root, inPlace: true });
  stores.addGoal(goal.id, goal.repoPath);
  const handle = service.openGoal(goal, inPlaceWorkspace(goal));
  const env = handle.mcpServer.env;

  // 1. Through the real bridge process over MCP stdio.
  const transport = new StdioClientTransport({
    command: handle.mcpServer.command,
    args: handle.mcpServer.args,
    env: { ...getDefaultEnvironment(), ...env },
    cwd: root,
    stderr: 'inherit',
  });
  const mcp = new Client({ name: 'permission-bench', version: '1' });
  await mcp.connect(transport);
  const bridgeCpu = processCpu(transport.pid);
  const viaMcp = await measure(
    REQUESTS,
    WARMUP,
    async (i) => {
      const result = await mcp.callTool(
        {
          name: PERMISSION_TOOL_NAME,
          arguments: { tool_name: 'Bash', input: { command: `echo ${i}` }, tool_use_id: `toolu_${i}` },
        },
        CallToolResultSchema,
      );
      const answer = allowSchema.parse(JSON.parse(answerSchema.parse(result).content[0].text));
      if (answer.updatedInput['command'] !== `echo ${i}`) throw new Error('wrong decision');
    },
    [bridgeCpu, thisProcessCpu],
  );
  await mcp.close();

  // 2. The bridge's socket leg alone.
  const socketClient = new PermissionSocketClient({
    socketPath: env['OVERSEER_PERMISSION_SOCKET'] ?? '',
    goalId: env['OVERSEER_GOAL_ID'] ?? '',
    secret: env['OVERSEER_GOAL_SECRET'] ?? '',
  });
  const viaSocket = await measure(
    REQUESTS,
    WARMUP,
    async (i) => {
      const decision = await socketClient.decide({
        toolName: 'Bash',
        input: { command: `echo ${i}` },
        toolUseId: `toolu_${i}`,
      });
      if (decision.behavior !== 'allow') throw new Error(`unexpected decision ${JSON.stringify(decision)}`);
    },
    [thisProcessCpu],
  );
  socketClient.close();

  // 3. A bare echo of a line as long as a decide frame.
  const sampleFrame = encodeFrame({
    v: 1,
    kind: 'decide',
    id: '123',
    goalId: goal.id,
    secret: env['OVERSEER_GOAL_SECRET'] ?? '',
    call: { toolName: 'Bash', input: { command: 'echo 123' }, toolUseId: 'toolu_123' },
  });
  const echo = await echoRoundTrip(root, sampleFrame);
  const viaEcho = await measure(REQUESTS, WARMUP, () => echo.once(), [thisProcessCpu]);
  await echo.close();

  handle.close('benchmark done');
  await service.close();
  stores.close();
  rmSync(root, { recursive: true, force: true });
  if (operatorAsked !== 0)
    throw new Error(`the operator was asked ${operatorAsked} times; every decision should come from the rule`);

  console.log(
    `permission round trip: ${REQUESTS} sequential requests after ${WARMUP} warm-up, every one decided by a stored rule`,
  );
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(format('MCP client → stdio → bridge → socket → broker (rule) → back', viaMcp));
  console.log(format('bridge socket leg only (decide frame → rule → decision)', viaSocket));
  console.log(format(`bare Unix-socket echo (${Buffer.byteLength(sampleFrame)}-byte line)`, viaEcho));
  console.log(
    `  ratio MCP round trip / echo:   p50 ${(viaMcp.p50 / viaEcho.p50).toFixed(1)}x   p99 ${(viaMcp.p99 / viaEcho.p99).toFixed(1)}x`,
  );
  console.log(
    `  ratio socket leg / echo:       p50 ${(viaSocket.p50 / viaEcho.p50).toFixed(1)}x   p99 ${(viaSocket.p99 / viaEcho.p99).toFixed(1)}x`,
  );
  const us = (value: number | null | undefined): string =>
    value === null || value === undefined ? 'n/a' : `${value.toFixed(0)} µs`;
  console.log(
    `  CPU per request: MCP round trip: bridge process ${us(viaMcp.cpuUs[0])}, this process (MCP client + host) ${us(viaMcp.cpuUs[1])}`,
  );
  console.log(
    `  CPU per request: socket leg (bridge client + host, this process) ${us(viaSocket.cpuUs[0])}; echo (both ends) ${us(viaEcho.cpuUs[0])}`,
  );
  console.log(
    `  goal: MCP round trip p99 ≤ 1 ms on the rule path: ${viaMcp.p99.toFixed(3)} ms ${viaMcp.p99 <= 1 ? 'met' : 'not met'}`,
  );
  console.log(
    JSON.stringify({
      requests: REQUESTS,
      warmup: WARMUP,
      mcpRoundTripMs: viaMcp,
      socketLegMs: viaSocket,
      echoMs: viaEcho,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
