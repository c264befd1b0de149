// Connecting to NATS: the server URL and the credentials and TLS files passed through from the
// command line or the environment (never a password on the command line: OVERSEER_NATS_PASSWORD
// and OVERSEER_NATS_TOKEN), and errors a person can act on (refused credentials, no server).
import { readFileSync } from 'node:fs';
import {
  connect,
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
  type NatsConnection,
  type NodeConnectionOptions,
} from '@nats-io/transport-node';

export interface NatsSettings {
  /** nats://host:port (several: comma-separated). */
  url: string;
  user: string | null;
  password: string | null;
  token: string | null;
  /** A .creds file (JWT + nkey seed). */
  credsFile: string | null;
  /** A file holding an nkey seed (SU…). */
  nkeyFile: string | null;
  tls: { caFile: string | null; certFile: string | null; keyFile: string | null } | null;
}

/** A NATS connection that could not be made, said plainly (bad credentials, no server). */
export class NatsConnectError extends Error {
  override readonly name = 'NatsConnectError';
}

function readSecretFile(flag: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new NatsConnectError(`${flag} ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function connectionOptions(settings: NatsSettings, clientName: string): NodeConnectionOptions {
  const authenticators: Authenticator[] = [];
  if (settings.credsFile !== null)
    authenticators.push(credsAuthenticator(readSecretFile('--nats-creds', settings.credsFile)));
  if (settings.nkeyFile !== null) {
    const seed = new TextDecoder().decode(readSecretFile('--nats-nkey', settings.nkeyFile)).trim();
    authenticators.push(nkeyAuthenticator(new TextEncoder().encode(seed)));
  }
  if (settings.token !== null) authenticators.push(tokenAuthenticator(settings.token));
  if (settings.user !== null)
    authenticators.push(usernamePasswordAuthenticator(settings.user, settings.password ?? ''));
  const tls = settings.tls;
  return {
    servers: settings.url
      .split(',')
      .map((server) => server.trim())
      .filter((server) => server !== ''),
    name: clientName,
    ...(authenticators.length > 0 ? { authenticator: authenticators } : {}),
    ...(tls !== null
      ? {
          tls: {
            ...(tls.caFile !== null ? { caFile: tls.caFile } : {}),
            ...(tls.certFile !== null ? { certFile: tls.certFile } : {}),
            ...(tls.keyFile !== null ? { keyFile: tls.keyFile } : {}),
          },
        }
      : {}),
    // Keep trying while the server restarts: events wait in the runner's outbox meanwhile.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 10_000,
  };
}

/** Connects, or throws NatsConnectError saying what went wrong. */
export async function connectNats(settings: NatsSettings, clientName: string): Promise<NatsConnection> {
  const options = connectionOptions(settings, clientName);
  try {
    return await connect(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/authoriz|authentic/i.test(message)) {
      throw new NatsConnectError(
        `the NATS server at ${settings.url} refused our credentials (${message}); check --nats-user/OVERSEER_NATS_PASSWORD, OVERSEER_NATS_TOKEN, --nats-creds or --nats-nkey`,
      );
    }
    throw new NatsConnectError(`cannot connect to NATS at ${settings.url}: ${message}`);
  }
}
