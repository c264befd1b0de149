// The CLI's one way to talk to a host: invoke a command by its contract name (payload and answer
// checked against the shared zod contract) and subscribe to the host's events. Two
// implementations: the CLI's own host in this process (local.ts) and the running console over its
// WebSocket (remote.ts); connect.ts picks one.
import type {
  CommandChannel,
  CommandError,
  CommandRequest,
  CommandResponse,
  HostEvent,
} from '../../../shared/contract.js';

export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
  constructor(readonly error: CommandError) {
    super(
      error.issues.length > 0
        ? `${error.message} (${error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})`
        : error.message,
    );
  }
}

export interface HostClient {
  /** 'local': a host this CLI process runs; 'remote': the running console's host. */
  readonly kind: 'local' | 'remote';
  /** Runs a command; resolves with its answer or throws CommandFailure. */
  invoke<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>>;
  /** Every host event from now on. */
  subscribe(listener: (event: HostEvent) => void): () => void;
  /** Called once if the host goes away (remote: the connection closed). */
  onLost(listener: (reason: string) => void): void;
  close(): Promise<void>;
}
