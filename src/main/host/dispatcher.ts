// The command dispatcher: the one place every incoming command passes through, whichever the
// transport. It validates the payload against the contract, runs the handler, validates the
// response, and turns every failure into a CommandError naming the channel and the field. Error
// replies are capped (issue count and text length) so no input can make a huge answer.
import {
  commands,
  isCommandChannel,
  type CommandChannel,
  type CommandResponse,
  type InvokeResult,
} from '../../shared/contract.js';
import type { z } from 'zod';
import { capCommandError, cappedIssues, payloadTooComplex, summarizeIssues } from '../../shared/wire.js';
import { HostError, toCommandError } from './command-error.js';

/**
 * A payload (or response) that does not match the contract, with its issues capped. A bad payload
 * is the client's fault (`invalid_payload`); a bad response is a bug in the host (`internal`).
 */
function invalid(channel: string, error: z.ZodError, what: 'payload' | 'response'): HostError {
  const issues = cappedIssues(error.issues);
  return new HostError(
    what === 'payload' ? 'invalid_payload' : 'internal',
    `invalid ${what} for "${channel}": ${summarizeIssues(issues)}`,
    issues,
  );
}

/**
 * Responses a handler built only from data already parsed, at its own boundary, against the schemas
 * the contract checks them with (a page of events read back from SQLite, each parsed there): the
 * dispatcher does not parse them a second time. Marked by identity, so an interceptor's answer from
 * elsewhere (a remote runner's) is still checked.
 */
const parsedResponses = new WeakSet<object>();

/** Marks `response` as built from parsed data only (see parsedResponses); returns it. */
export function parsedAtItsBoundary<T extends object>(response: T): T {
  parsedResponses.add(response);
  return response;
}

export interface CommandContext {
  /** Which transport the command came in on. */
  transport: 'electron' | 'browser' | 'local' | 'nats';
}

type RequestOf<C extends CommandChannel> = z.infer<(typeof commands)[C]['request']>;
export type CommandHandler<C extends CommandChannel> = (
  request: RequestOf<C>,
  context: CommandContext,
) => CommandResponse<C> | Promise<CommandResponse<C>>;

type HandlerTable = { [C in CommandChannel]?: CommandHandler<C> };

/**
 * Sees every valid command before its handler and may answer it elsewhere (the console's
 * forwarding of remote goals' commands to their runners) or extend the local answer; `runHere`
 * runs the local handler. Its answer is checked against the contract like a handler's.
 */
export type CommandInterceptor = (
  channel: CommandChannel,
  request: unknown,
  context: CommandContext,
  runHere: () => Promise<unknown>,
) => Promise<unknown>;

/**
 * The handlers of one contract domain: exactly one per command of its command map (e.g.
 * `HandlersFor<typeof goalCommands>`). A handler module builds its object literal with
 * `satisfies HandlersFor<...>`, so a missing handler, or one for a command of another domain, does
 * not compile.
 */
export type HandlersFor<M> = { [C in keyof M]: C extends CommandChannel ? CommandHandler<C> : never };

export class CommandDispatcher {
  private readonly handlers: HandlerTable = {};
  private interceptor: CommandInterceptor | null = null;

  /** Installs the one interceptor (null removes it). */
  intercept(interceptor: CommandInterceptor | null): void {
    this.interceptor = interceptor;
  }

  register<C extends CommandChannel>(channel: C, handler: CommandHandler<C>): void {
    if (this.handlers[channel] !== undefined) throw new Error(`handler for "${channel}" registered twice`);
    (this.handlers as { [K in C]?: CommandHandler<K> })[channel] = handler;
  }

  /** Registers every handler of one domain (see HandlersFor). */
  registerAll(handlers: HandlerTable): void {
    for (const channel of Object.keys(handlers)) {
      if (!isCommandChannel(channel)) throw new Error(`"${channel}" is not a command of the contract`);
      this.register(channel, handlers[channel] as CommandHandler<typeof channel>);
    }
  }

  /** Channels that have no handler yet (a host wiring bug; reported by tests). */
  missingHandlers(): string[] {
    return Object.keys(commands).filter(
      (channel) => !isCommandChannel(channel) || this.handlers[channel] === undefined,
    );
  }

  /** Runs a command from an untrusted source. Never throws. */
  async invoke(channel: string, payload: unknown, context: CommandContext): Promise<InvokeResult<CommandChannel>> {
    if (!isCommandChannel(channel)) {
      return {
        ok: false,
        error: capCommandError({
          code: 'unknown_channel',
          message: `unknown command channel "${channel}"`,
          channel,
          issues: [],
        }),
      };
    }
    try {
      return { ok: true, value: await this.run(channel, payload, context) };
    } catch (error) {
      return { ok: false, error: capCommandError(toCommandError(error, channel)) };
    }
  }

  private async run<C extends CommandChannel>(
    channel: C,
    payload: unknown,
    context: CommandContext,
  ): Promise<CommandResponse<C>> {
    const spec = commands[channel];
    const tooComplex = payloadTooComplex(payload);
    if (tooComplex !== null)
      throw new HostError('invalid_payload', `invalid payload for "${channel}": ${tooComplex}`, [
        { path: '(root)', message: tooComplex },
      ]);
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) throw invalid(channel, parsed.error, 'payload');
    const handler = this.handlers[channel] as CommandHandler<C> | undefined;
    if (handler === undefined) throw new HostError('internal', `no handler for "${channel}"`);
    const runHere = async (): Promise<unknown> => handler(parsed.data as RequestOf<C>, context);
    const interceptor = this.interceptor;
    const response = interceptor === null ? await runHere() : await interceptor(channel, parsed.data, context, runHere);
    if (typeof response === 'object' && response !== null && parsedResponses.has(response))
      return response as CommandResponse<C>;
    const checked = spec.response.safeParse(response);
    if (!checked.success) throw invalid(channel, checked.error, 'response');
    return checked.data as CommandResponse<C>;
  }
}
