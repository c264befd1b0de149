// A permission request's input in readable form: the Bash command; a Write or Edit (or MultiEdit)
// as a diff against the current file with the path relative to the workspace; anything else as
// JSON.
import type { ApprovalContext } from '../../../shared/commands/approval';
import { safeJson, stringField } from '../../../shared/tool-input';
import { workspaceRelative } from '../../../shared/workspace-paths';
import { ChangePreview } from './ChangePreview';

interface ToolInputViewProps {
  toolName: string;
  input: Record<string, unknown>;
  /** The request's context from the host; undefined while it loads, null when it failed. */
  context: ApprovalContext | null | undefined;
}

export function ToolInputView({ toolName, input, context }: ToolInputViewProps) {
  const workspace = context?.workspacePath ?? null;
  const rawPath = stringField(input, 'file_path') ?? stringField(input, 'path') ?? '';
  const path = workspaceRelative(rawPath, workspace);
  // Without the context (failed), diff the strings alone rather than wait forever.
  const file = context === undefined ? undefined : (context?.file ?? null);
  switch (toolName) {
    case 'Bash': {
      const description = stringField(input, 'description');
      return (
        <div className="tool-input" data-testid="tool-input">
          <span className="input-label">Command</span>
          <pre className="pre command">{stringField(input, 'command') ?? safeJson(input)}</pre>
          {description !== null && <p className="hint">{description}</p>}
        </div>
      );
    }
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
      return (
        <div className="tool-input" data-testid="tool-input">
          <span className="input-label">{toolName === 'Write' ? 'Write to' : 'Edit'}</span>{' '}
          <span className="mono" title={rawPath} data-testid="tool-path">
            {path}
          </span>
          {input['replace_all'] === true && <span className="badge">every occurrence</span>}
          <ChangePreview toolName={toolName} input={input} path={path} file={file} />
        </div>
      );
    default:
      return (
        <div className="tool-input" data-testid="tool-input">
          <span className="input-label">Input</span>
          <pre className="pre">{safeJson(input)}</pre>
        </div>
      );
  }
}
