// A permission request's input in readable form: the Bash command; a Write's path and content;
// an Edit (or each edit of a MultiEdit) as a diff of old_string → new_string; anything else as JSON.
import { lazy, Suspense } from 'react';
import { z } from 'zod';
import { unifiedPatch } from '../../lib/line-diff';
import { safeJson, stringField } from '../../../shared/tool-input';
import { useDiffDialog } from '../../state/diff-dialog';

// The diff viewer loads when an Edit is first shown.
const PatchView = lazy(() => import('../diff/FileDiffs').then((module) => ({ default: module.PatchView })));

const EditsSchema = z.array(z.object({ old_string: z.string(), new_string: z.string() }));

export function ToolInputView({ toolName, input }: { toolName: string; input: Record<string, unknown> }) {
  const viewType = useDiffDialog((state) => state.viewType);
  const path = stringField(input, 'file_path') ?? stringField(input, 'path') ?? '';
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
      return (
        <div className="tool-input" data-testid="tool-input">
          <span className="input-label">Write to</span> <span className="mono">{path}</span>
          <pre className="pre file-content">{stringField(input, 'content') ?? ''}</pre>
        </div>
      );
    case 'Edit': {
      const before = stringField(input, 'old_string') ?? '';
      const after = stringField(input, 'new_string') ?? '';
      return (
        <div className="tool-input" data-testid="tool-input">
          <span className="input-label">Edit</span> <span className="mono">{path}</span>
          {input['replace_all'] === true && <span className="badge">every occurrence</span>}
          <Suspense fallback={<pre className="pre">{unifiedPatch(path, before, after)}</pre>}>
            <PatchView patch={unifiedPatch(path, before, after)} viewType={viewType} />
          </Suspense>
        </div>
      );
    }
    case 'MultiEdit': {
      const edits = EditsSchema.safeParse(input['edits']);
      if (!edits.success) break;
      return (
        <div className="tool-input" data-testid="tool-input">
          <span className="input-label">{edits.data.length} edits</span> <span className="mono">{path}</span>
          <Suspense fallback={<p className="hint">Loading the diff…</p>}>
            {edits.data.map((edit, index) => (
              <PatchView key={index} patch={unifiedPatch(path, edit.old_string, edit.new_string)} viewType={viewType} />
            ))}
          </Suspense>
        </div>
      );
    }
    default:
      break;
  }
  return (
    <div className="tool-input" data-testid="tool-input">
      <span className="input-label">Input</span>
      <pre className="pre">{safeJson(input)}</pre>
    </div>
  );
}
