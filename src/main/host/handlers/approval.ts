// Handlers of the approval commands (src/shared/commands/approval.ts). `permission.context`: what the approval card shows beside a request and the renderer cannot
// read itself: the goal's workspace, Claude's last message before it asked, and the current
// content of the file an Edit/Write would change (bounded; binary and oversized files are named,
// not sent).
import { open, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  APPROVAL_FILE_MAX_BYTES,
  type approvalCommands,
  type ApprovalContext,
  type CurrentFileView,
} from '../../../shared/commands/approval.js';
import type { DriverEvent } from '../../../shared/events.js';
import { stringField } from '../../../shared/tool-input.js';
import type { Stores } from '../../store/index.js';
import type { HandlersFor } from '../dispatcher.js';
import { HostError } from '../command-error.js';
import type { GoalRuntime } from '../services/goal-runtime.js';

/** Events read back from the newest to find the request and the text before it. */
const EVENTS_SCANNED = 400;
const MESSAGE_MAX_CHARS = 4000;
const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit']);

/**
 * Claude's last text before the request `requestId` in the same turn (events oldest first). When the
 * request is not among the events, the last text of the newest turn among them.
 */
export function lastMessageBefore(events: readonly DriverEvent[], requestId: string): string | null {
  let end = events.findIndex((event) => event.kind === 'permission_requested' && event.request.id === requestId);
  if (end < 0) end = events.length;
  for (let index = end - 1; index >= 0; index--) {
    const event = events[index];
    if (event === undefined || event.kind === 'attempt_started') break;
    if (event.kind === 'turn_output' && event.entry.type === 'text' && event.entry.text.trim() !== '') {
      const text = event.entry.text.trim();
      return text.length > MESSAGE_MAX_CHARS ? `${text.slice(0, MESSAGE_MAX_CHARS)}…` : text;
    }
  }
  return null;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The file at `path` (relative paths against `workspace`) as the card may show it. Never throws. */
export async function readCurrentFile(
  path: string,
  workspace: string | null,
  maxBytes = APPROVAL_FILE_MAX_BYTES,
): Promise<CurrentFileView> {
  const absolute = isAbsolute(path) || workspace === null ? resolve(path) : resolve(workspace, path);
  const shown = (note: string): CurrentFileView => ({ path: absolute, exists: true, content: null, note });
  try {
    const info = await stat(absolute);
    if (!info.isFile()) return shown('not a regular file');
    if (info.size > maxBytes) return shown(`too large to show (${sizeText(info.size)})`);
    const handle = await open(absolute, 'r');
    try {
      const bytes = await handle.readFile();
      if (bytes.subarray(0, 8000).includes(0)) return shown('a binary file');
      return { path: absolute, exists: true, content: bytes.toString('utf8'), note: null };
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : null;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path: absolute, exists: false, content: null, note: null };
    return shown(`could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

export function approvalHandlers(stores: Stores, runtime: GoalRuntime) {
  return {
    'permission.context': async ({ requestId }): Promise<ApprovalContext> => {
      const record = stores.permissions.get(requestId);
      if (record === null) throw new HostError('not_found', `no permission request ${requestId}`);
      const { goalId, toolName, input } = record.request;
      const goal = stores.goals.get(goalId);
      const workspacePath = goal === null ? null : (runtime.workspaceInfo(goal.goal)?.path ?? null);
      const events = stores.events.eventsForGoal(goalId, { limit: EVENTS_SCANNED }).map((stored) => stored.event);
      const path = FILE_TOOLS.has(toolName) ? stringField(input, 'file_path') : null;
      return {
        requestId,
        goalId,
        workspacePath,
        lastMessage: lastMessageBefore(events, requestId),
        file: path === null || path === '' ? null : await readCurrentFile(path, workspacePath),
      };
    },
  } satisfies HandlersFor<typeof approvalCommands>;
}
