// App commands: what the host is (version, transport, data folder) and a round-trip check.
import { z } from 'zod';

export const AppInfoSchema = z.object({
  name: z.literal('Overseer'),
  version: z.string(),
  /** Which transport the host is serving this client on. */
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  platform: z.string(),
  nodeVersion: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const appCommands = {
  'app.info': { request: z.object({}).strict(), response: AppInfoSchema },
  ping: {
    request: z.object({ nonce: z.string().min(1).max(200) }).strict(),
    response: z.object({ nonce: z.string(), receivedAt: z.string() }),
  },
} as const;
