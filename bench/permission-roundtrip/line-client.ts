// The minimal JSON-RPC client over the bridge's stdio (the same MCP messages as the SDK's client, next
// to no client cost of its own), and the report of each of its round trips split into legs.
import { spawn } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { z } from 'zod';
import { FrameSplitter } from '../../src/main/permission/frames.js';
import { stats } from './stats.js';

const JsonRpcAnswerSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.number(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ code: z.number(), message: z.string() }).optional(),
});

/**
 * A minimal MCP client over the bridge's stdio: newline-delimited JSON-RPC, one request at a time.
 * It sends what the SDK's client sends (initialize, notifications/initialized, tools/call) and reads
 * each answer with JSON.parse and a small zod check, so its own cost per request is small.
 */
export async function lineClient(
  spec: { command: string; args: string[]; env: Record<string, string> },
  cwd: string,
): Promise<{
  pid: number | null;
  request: (method: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;
  close: () => Promise<void>;
}> {
  const child = spawn(spec.command, spec.args, {
    cwd,
    env: { ...getDefaultEnvironment(), ...spec.env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const splitter = new FrameSplitter();
  let nextId = 1;
  const waiting = new Map<number, { resolve: (result: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of splitter.push(chunk).lines) {
      const answer = JsonRpcAnswerSchema.parse(JSON.parse(line));
      const entry = waiting.get(answer.id);
      if (entry === undefined) continue;
      waiting.delete(answer.id);
      if (answer.result !== undefined) entry.resolve(answer.result);
      else entry.reject(new Error(answer.error?.message ?? 'no result'));
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const request = (method: string, params: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  await request('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'permission-bench-line-client', version: '1' },
  });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return {
    pid: child.pid ?? null,
    request,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/** Percentiles of each leg over the requests, and the legs of the slowest 1 % of round trips. */
export function legsReport(legs: { inbound: number; host: number; outbound: number; total: number }[]): string[] {
  const slow = [...legs].sort((a, b) => b.total - a.total).slice(0, Math.max(1, Math.floor(legs.length / 100)));
  const mean = (list: typeof legs, key: 'inbound' | 'host' | 'outbound' | 'total') =>
    list.reduce((sum, leg) => sum + leg[key], 0) / list.length;
  const line = (key: 'inbound' | 'host' | 'outbound', label: string) => {
    const all = stats(legs.map((leg) => leg[key]));
    return `    ${label.padEnd(58)} p50 ${all.p50.toFixed(3).padStart(8)} ms   p99 ${all.p99.toFixed(3).padStart(8)} ms   mean in slowest 1 % ${mean(slow, key).toFixed(3)} ms`;
  };
  return [
    line('inbound', 'inbound: client → stdio → bridge → socket → host parses'),
    line('host', 'host: broker decides by rule and records it (SQLite)'),
    line('outbound', 'outbound: host → socket → bridge → stdio → client'),
    `    slowest 1 % (${slow.length} requests): mean round trip ${mean(slow, 'total').toFixed(3)} ms`,
  ];
}
