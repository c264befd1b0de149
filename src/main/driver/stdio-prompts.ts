// Permission prompts on Claude Code's own stdio, for a long-lived process: started with
// `--permission-prompt-tool stdio`, Claude writes each prompt as a `control_request` line
// (subtype `can_use_tool`) on its stdout and waits for the `control_response` with the same request id on
// its stdin. The goal's permission path decides it in this process (PermissionPrompts.ask: rules, the
// goal's mode or the operator, recorded before the answer leaves), with no bridge process and no socket
// on the way: two processes per prompt instead of three (docs/long-lived-mode.md, "Permission prompts").
//
// Every line is parsed, never trusted, and every control request gets an answer, so Claude never waits on
// one nobody will answer: a prompt that does not parse, or whose decision failed, is denied with the
// reason (as the bridge denies when the host cannot decide); a control request we do not serve gets an
// error response. `control_cancel_request` aborts the prompt it names; when the process ends,
// every prompt still open is aborted (the permission path records it as aborted, nobody's deny), and
// a line read after that (one still buffered) asks nothing.
import { z } from 'zod';
import type { PermissionPromptAnswer } from './permission-answer.js';
import type { PermissionPrompts } from './ports.js';

const requestId = z.string().min(1);

/** A control request's envelope: enough to answer it, whatever its body holds (or if it has none). */
const ControlRequestSchema = z.looseObject({
  type: z.literal('control_request'),
  request_id: requestId,
  request: z.unknown().optional(),
});

const SubtypeSchema = z.looseObject({ subtype: z.string() });

const CanUseToolSchema = z.looseObject({
  subtype: z.literal('can_use_tool'),
  tool_name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  tool_use_id: z.string().optional(),
});

const CancelRequestSchema = z.looseObject({ type: z.literal('control_cancel_request'), request_id: requestId });

/** A control response line for Claude's stdin. */
function responseLine(id: string, answer: PermissionPromptAnswer): string {
  return JSON.stringify({
    type: 'control_response',
    response: { subtype: 'success', request_id: id, response: answer },
  });
}

function errorLine(id: string, error: string): string {
  return JSON.stringify({ type: 'control_response', response: { subtype: 'error', request_id: id, error } });
}

export interface StdioPromptsOptions {
  prompts: PermissionPrompts;
  /** Writes one line to Claude's stdin; false when the process can no longer take input. */
  write: (line: string) => boolean;
  /** Something about a prompt the operator should hear of (a prompt that did not parse, a failed decision). */
  warn: (message: string) => void;
}

/** Serves one process's stdio permission prompts (see the header). */
export class StdioPrompts {
  private readonly open = new Map<string, AbortController>();
  private ended = false;

  constructor(private readonly options: StdioPromptsOptions) {}

  /** Reads one stdout line; a control line is answered (the line still goes to the transcript as any other). */
  read(line: string): void {
    // Cheap test first: almost every line is a stream line, never a control line. After the end, a
    // prompt could never be answered: none is asked (it would wait in the operator's inbox for nothing).
    if (this.ended || !line.includes('"control_')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return;
    }
    // Only a line that names a cancel is read as one (a failed parse builds its issues: not free).
    if (line.includes('"control_cancel_request"')) {
      const cancel = CancelRequestSchema.safeParse(json);
      if (cancel.success) {
        this.open.get(cancel.data.request_id)?.abort();
        return;
      }
    }
    // Without a request id there is nothing Claude could be waiting on, so nothing to answer.
    const control = ControlRequestSchema.safeParse(json);
    if (!control.success) return;
    const id = control.data.request_id;
    const subtype = SubtypeSchema.safeParse(control.data.request);
    if (!subtype.success || subtype.data.subtype !== 'can_use_tool') {
      const what = subtype.success ? `of subtype "${subtype.data.subtype}"` : 'without a subtype';
      this.options.write(errorLine(id, `Overseer does not serve control requests ${what}`));
      return;
    }
    const prompt = CanUseToolSchema.safeParse(control.data.request);
    if (!prompt.success) {
      const problem = `a permission prompt from Claude did not parse (${prompt.error.issues[0]?.message ?? 'invalid'})`;
      this.options.warn(problem);
      this.options.write(responseLine(id, { behavior: 'deny', message: problem }));
      return;
    }
    if (this.open.has(id)) {
      this.options.write(errorLine(id, `permission prompt ${id} is already open`));
      return;
    }
    this.ask(id, prompt.data);
  }

  /** The process ended: every open prompt is aborted and nothing more is written. */
  end(): void {
    this.ended = true;
    for (const controller of this.open.values()) controller.abort();
    this.open.clear();
  }

  private ask(id: string, request: z.infer<typeof CanUseToolSchema>): void {
    const controller = new AbortController();
    this.open.set(id, controller);
    let answer: Promise<PermissionPromptAnswer>;
    try {
      answer = this.options.prompts.ask(
        { toolName: request.tool_name, input: request.input, toolUseId: request.tool_use_id ?? '' },
        controller.signal,
      );
    } catch (error) {
      answer = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    answer.then(
      (value) => this.answer(id, controller, responseLine(id, value)),
      (error: unknown) => {
        const message = `the host could not decide: ${error instanceof Error ? error.message : String(error)}`;
        this.options.warn(`permission prompt ${id}: ${message}`);
        this.answer(id, controller, responseLine(id, { behavior: 'deny', message }));
      },
    );
  }

  private answer(id: string, controller: AbortController, line: string): void {
    if (this.open.get(id) !== controller) return;
    this.open.delete(id);
    if (this.ended || controller.signal.aborted) return;
    this.options.write(line);
  }
}
