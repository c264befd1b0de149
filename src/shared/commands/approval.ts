// What the approval card needs and the renderer cannot read itself: the goal's workspace (to show
// paths relative to it), Claude's last message before the request, and the current content of the
// file an Edit/Write would change (to diff the whole file with its own line numbers).
import { z } from 'zod';

/** Files larger than this are not sent; the card diffs old/new strings alone. */
export const APPROVAL_FILE_MAX_BYTES = 1024 * 1024;

export const CurrentFileSchema = z.object({
  /** Absolute path as read (relative tool paths resolved against the workspace). */
  path: z.string(),
  exists: z.boolean(),
  /** The file's text; null when it does not exist or could not be shown (see note). */
  content: z.string().nullable(),
  /** Why content is null for an existing file: too large, binary, not a regular file, unreadable. */
  note: z.string().nullable(),
});
export type CurrentFileView = z.infer<typeof CurrentFileSchema>;

export const ApprovalContextSchema = z.object({
  requestId: z.string(),
  goalId: z.string(),
  /** The goal's workspace (worktree or repository) folder; null when it is not known. */
  workspacePath: z.string().nullable(),
  /** Claude's last text in the turn before it asked; null when it said nothing. */
  lastMessage: z.string().nullable(),
  /** For file-changing tools (Write, Edit, MultiEdit): the file as it is now. */
  file: CurrentFileSchema.nullable(),
});
export type ApprovalContext = z.infer<typeof ApprovalContextSchema>;

export const approvalCommands = {
  /** The context of one permission request (pending or decided) for the approval card. */
  'permission.context': {
    request: z.object({ requestId: z.string().min(1) }).strict(),
    response: ApprovalContextSchema,
  },
} as const;
