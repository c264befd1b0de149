// The NATS flags every distributed command shares (`agent`, `runners`, and `--runner` on goal
// commands): the server URL (--nats, else OVERSEER_NATS_URL) and the credentials and TLS files
// passed through to the client. Secrets come from the environment only (OVERSEER_NATS_PASSWORD,
// OVERSEER_NATS_TOKEN) so they never show in a process list. Parsing loads nothing of NATS.
import type { NatsSettings } from '../nats/index.js';
import { UsageError } from './usage.js';

export const NATS_FLAG_OPTIONS = {
  nats: { type: 'string' },
  'nats-user': { type: 'string' },
  'nats-creds': { type: 'string' },
  'nats-nkey': { type: 'string' },
  'nats-tls-ca': { type: 'string' },
  'nats-tls-cert': { type: 'string' },
  'nats-tls-key': { type: 'string' },
} as const;

export const NATS_FLAGS_HELP = `NATS options:
  --nats URL                 NATS server(s), e.g. nats://build-box:4222 (default: $OVERSEER_NATS_URL)
  --nats-user USER           User name; the password is read from $OVERSEER_NATS_PASSWORD
  --nats-creds FILE          A .creds file (JWT and nkey seed)
  --nats-nkey FILE           A file holding an nkey seed
  --nats-tls-ca FILE         CA certificate(s) to trust for tls:// servers
  --nats-tls-cert FILE       Client certificate (with --nats-tls-key)
  --nats-tls-key FILE        Client key
  A token is read from $OVERSEER_NATS_TOKEN.`;

export type NatsFlagValues = { [K in keyof typeof NATS_FLAG_OPTIONS]?: string | undefined };

/** Whether any NATS flag was given (a goal command then needs --runner). */
export function natsFlagGiven(values: NatsFlagValues): boolean {
  return Object.keys(NATS_FLAG_OPTIONS).some((key) => values[key as keyof NatsFlagValues] !== undefined);
}

/** The NATS settings from flags and environment; UsageError when there is no URL. */
export function natsSettings(values: NatsFlagValues, env: NodeJS.ProcessEnv = process.env): NatsSettings {
  const url = (values.nats ?? env['OVERSEER_NATS_URL'] ?? '').trim();
  if (url === '')
    throw new UsageError('--nats URL is required (or set OVERSEER_NATS_URL), e.g. --nats nats://127.0.0.1:4222');
  const nonEmpty = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);
  const tlsGiven =
    values['nats-tls-ca'] !== undefined ||
    values['nats-tls-cert'] !== undefined ||
    values['nats-tls-key'] !== undefined;
  if ((values['nats-tls-cert'] === undefined) !== (values['nats-tls-key'] === undefined)) {
    throw new UsageError('--nats-tls-cert and --nats-tls-key go together');
  }
  const password = nonEmpty(env['OVERSEER_NATS_PASSWORD']);
  const user = nonEmpty(values['nats-user']);
  if (password !== null && user === null) throw new UsageError('OVERSEER_NATS_PASSWORD is set but --nats-user is not');
  return {
    url,
    user,
    password,
    token: nonEmpty(env['OVERSEER_NATS_TOKEN']),
    credsFile: nonEmpty(values['nats-creds']),
    nkeyFile: nonEmpty(values['nats-nkey']),
    tls: tlsGiven
      ? {
          caFile: nonEmpty(values['nats-tls-ca']),
          certFile: nonEmpty(values['nats-tls-cert']),
          keyFile: nonEmpty(values['nats-tls-key']),
        }
      : null,
  };
}

/** Where a goal command acts: a runner over NATS (null: this machine's host, as before). */
export interface RunnerTarget {
  name: string;
  settings: NatsSettings;
}

export const RUNNER_FLAG_OPTIONS = { ...NATS_FLAG_OPTIONS, runner: { type: 'string' } } as const;

/** `--runner NAME` with the NATS settings, or null; NATS flags without --runner are a usage error. */
export function runnerTarget(
  values: NatsFlagValues & { runner?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): RunnerTarget | null {
  if (values.runner === undefined) {
    if (natsFlagGiven(values))
      throw new UsageError('--nats and its options go with --runner NAME (which runner to act on)');
    return null;
  }
  if (values.runner.trim() === '') throw new UsageError('--runner needs a runner name (see `overseer runners`)');
  return { name: values.runner, settings: natsSettings(values, env) };
}
