// Teaching the fake model to be the acceptance judge: requests whose prompt opens like Overseer's
// judge prompt are answered by a judge script (PASS or FAIL with a reason); every other main-loop
// request goes to the work script, re-indexed so the work script counts only its own requests.
import { JUDGE_PROMPT_OPENING } from '../../src/main/driver/acceptance/judge.js';
import type { FakeReply } from './reply.js';
import type { FakeRequestContext } from './request.js';
import type { FakeScript } from './server.js';

export function isJudgeRequest(ctx: FakeRequestContext): boolean {
  const first = ctx.body.messages.find((message) => message.role === 'user');
  if (first === undefined) return false;
  const text = typeof first.content === 'string' ? first.content : JSON.stringify(first.content);
  return text.includes(JUDGE_PROMPT_OPENING);
}

export interface JudgedScript {
  script: FakeScript;
  /** Every judge request, in arrival order. */
  judgeRequests: FakeRequestContext[];
}

/**
 * `judge(ctx, n)` answers the n-th judge request (0-based) with its final text, e.g. "FAIL: no tests".
 * Work requests get `work({ ...ctx, index: <count of work requests before it> })`.
 */
export function withJudge(
  work: FakeScript,
  judge: (ctx: FakeRequestContext, judgeIndex: number) => string | FakeReply,
): JudgedScript {
  const judgeRequests: FakeRequestContext[] = [];
  let workCount = 0;
  const script: FakeScript = (ctx) => {
    if (isJudgeRequest(ctx)) {
      judgeRequests.push(ctx);
      const answer = judge(ctx, judgeRequests.length - 1);
      return typeof answer === 'string' ? { text: answer } : answer;
    }
    const index = workCount;
    workCount += 1;
    return work({ ...ctx, index });
  };
  return { script, judgeRequests };
}

/** Names of the tools offered in a request. */
export function offeredTools(ctx: FakeRequestContext): string[] {
  return (ctx.body.tools ?? []).flatMap((tool) => (typeof tool.name === 'string' ? [tool.name] : []));
}
