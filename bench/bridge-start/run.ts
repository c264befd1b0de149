// Bridge start benchmark: how long the permission bridge takes, from spawn, to answer the MCP
// `initialize` request Claude Code sends first (the bridge is started once per turn, and a slow start
// is both per-turn overhead and, under load, a turn that fails on the CLI's startup race). Beside it,
// in the same run, the floor: bare `node -e` that reads one line on stdin and answers one line.
// Runs alternate (floor, bridge, floor, bridge, ...) so machine load hits both alike; prints medians,
// p90 and the ratio against the goal (≤ 1.5× the floor).
// Build first (npx electron-vite build) to measure the shipped bridge (out/main/permission-bridge.js).
//   node --import tsx bench/bridge-start/run.ts [--runs 15]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = z.coerce.number().int().positive().parse(values.runs);
const GOAL_RATIO = 1.5;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const builtBridge = join(repoRoot, 'out/main/permission-bridge.js');

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bridge-start-bench', version: '1' } },
})}\n`;

const TOOL_CALL = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: {
    name: 'permission_prompt',
    arguments: { tool_name: 'Bash', input: { command: 'ls' }, tool_use_id: 'toolu_1' },
  },
})}\n`;

const FLOOR_SCRIPT =
  "process.stdin.once('data', (d) => { process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: 0, result: String(d).length }) + '\\n'); });";

/**
 * Spawns `args` with node, writes the initialize line, resolves with ms until the first stdout line;
 * with `checkCall`, then also checks the process answers a permission tool call (not timed).
 */
function timeFirstAnswer(args: string[], env: NodeJS.ProcessEnv, checkCall: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let done = false;
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!done && out.includes('\n')) {
        done = true;
        const elapsed = performance.now() - started;
        if (!out.includes('"id":0')) reject(new Error(`unexpected first line: ${out}`));
        if (!checkCall) {
          child.stdin.end();
          child.once('exit', () => resolve(elapsed));
          return;
        }
        // The bridge must also answer a tool call (this run's environment names no live host: a deny).
        child.stdin.write(TOOL_CALL);
        const waitForCall = (more: Buffer) => {
          out += more.toString('utf8');
          if (!out.includes('"id":1')) return;
          child.stdout.off('data', waitForCall);
          if (!out.includes('so it was denied')) reject(new Error(`unexpected tool call answer: ${out}`));
          child.stdin.end();
          child.once('exit', () => resolve(elapsed));
        };
        child.stdout.on('data', waitForCall);
      }
    });
    child.on('exit', (code) => {
      if (!done) reject(new Error(`exited ${code} before answering: ${out}`));
    });
    child.stdin.write(INITIALIZE);
  });
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (!existsSync(builtBridge)) throw new Error(`${builtBridge} is missing: run \`npx electron-vite build\` first`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OVERSEER_PERMISSION_SOCKET: '/nonexistent/overseer-bench.sock',
    OVERSEER_GOAL_ID: 'bench-goal',
    OVERSEER_GOAL_SECRET: 'bench-secret-0123456789abcdef',
  };
  // One warm-up of each (page cache).
  await timeFirstAnswer(['-e', FLOOR_SCRIPT], env, false);
  await timeFirstAnswer([builtBridge], env, true);
  const floor: number[] = [];
  const bridge: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    floor.push(await timeFirstAnswer(['-e', FLOOR_SCRIPT], env, false));
    bridge.push(await timeFirstAnswer([builtBridge], env, true));
  }
  const floorMedian = quantile(floor, 0.5);
  const bridgeMedian = quantile(bridge, 0.5);
  const ratio = bridgeMedian / floorMedian;
  console.log(`bridge start: spawn → answer to MCP initialize, ${RUNS} alternating runs, node ${process.version}`);
  console.log(
    `  floor: bare node -e answering one line   median ${floorMedian.toFixed(1)} ms   p90 ${quantile(floor, 0.9).toFixed(1)} ms`,
  );
  console.log(
    `  built bridge (out/main/permission-bridge.js) median ${bridgeMedian.toFixed(1)} ms   p90 ${quantile(bridge, 0.9).toFixed(1)} ms`,
  );
  console.log(`  ratio ${ratio.toFixed(2)}x   goal ≤ ${GOAL_RATIO}x   ${ratio <= GOAL_RATIO ? 'met' : 'not met'}`);
  console.log(JSON.stringify({ runs: RUNS, floorMs: floor, bridgeMs: bridge, ratio }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
