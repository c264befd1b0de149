// "Allow with edits": a field per part of a known tool's input (the command, a file's path and
// content, an Edit's old and new text), or the input as JSON for other tools, with a live preview
// of what will run: the command with its risk badges, or the diff against the current file.
import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { ApprovalContext } from '../../../shared/commands/approval';
import type { PermissionRecord } from '../../../shared/domain/permission';
import { safeJson, stringField } from '../../../shared/tool-input';
import { toolRisks } from '../../../shared/tool-risk';
import { workspaceRelative } from '../../../shared/workspace-paths';
import { ChangePreview } from './ChangePreview';
import { buildEditedInput, editFieldsFor, initialValues, parseJsonInput, type EditResult } from './edit-draft';
import { RiskBadges } from './RiskBadges';

interface EditInputProps {
  record: PermissionRecord;
  context: ApprovalContext | null | undefined;
  busy: boolean;
  onAllow: (input: Record<string, unknown>) => void;
  onCancel: () => void;
}

function Preview({
  toolName,
  originalPath,
  result,
  context,
}: {
  toolName: string;
  originalPath: string | null;
  result: EditResult;
  context: ApprovalContext | null | undefined;
}) {
  if (!result.ok) return <p className="hint">{result.error}</p>;
  const workspace = context?.workspacePath ?? null;
  if (toolName === 'Bash') {
    return (
      <>
        <pre className="pre command">{stringField(result.input, 'command') ?? ''}</pre>
        <RiskBadges badges={toolRisks(toolName, result.input, workspace)} />
      </>
    );
  }
  if (toolName === 'Write' || toolName === 'Edit' || toolName === 'MultiEdit') {
    const rawPath = stringField(result.input, 'file_path') ?? '';
    const samePath = originalPath === null || rawPath === originalPath;
    return (
      <>
        <RiskBadges badges={toolRisks(toolName, result.input, workspace)} />
        {!samePath && <p className="hint">The path changed: the diff is against the file Claude named.</p>}
        <ChangePreview
          toolName={toolName}
          input={result.input}
          path={workspaceRelative(rawPath, workspace)}
          file={context === undefined ? undefined : (context?.file ?? null)}
        />
      </>
    );
  }
  return <pre className="pre">{safeJson(result.input)}</pre>;
}

export function EditInput({ record, context, busy, onAllow, onCancel }: EditInputProps) {
  const { toolName, input } = record.request;
  const id = useId();
  const fields = useMemo(() => editFieldsFor(toolName, input), [toolName, input]);
  const [values, setValues] = useState(() => (fields === null ? {} : initialValues(fields, input)));
  const [json, setJson] = useState(() => safeJson(input));
  const [error, setError] = useState<string | null>(null);
  const result = fields === null ? parseJsonInput(json) : buildEditedInput(toolName, input, values);
  const preview = useDeferredValue(result);
  return (
    <form
      className="form edit-input"
      aria-label="Allow with edits"
      onSubmit={(event) => {
        event.preventDefault();
        if (!result.ok) return setError(result.error);
        onAllow(result.input);
      }}
    >
      {fields === null ? (
        <div className="field">
          <label htmlFor={`${id}-json`}>Input (JSON)</label>
          <textarea
            id={`${id}-json`}
            className="mono"
            rows={10}
            value={json}
            autoFocus
            spellCheck={false}
            onChange={(event) => setJson(event.target.value)}
          />
        </div>
      ) : (
        fields.map((field, index) => (
          <div className="field" key={field.key}>
            <label htmlFor={`${id}-${field.key}`}>{field.label}</label>
            {field.rows === 1 ? (
              <input
                id={`${id}-${field.key}`}
                className="mono"
                value={values[field.key] ?? ''}
                spellCheck={false}
                autoFocus={index === 0 && fields.length === 1}
                onChange={(event) => setValues({ ...values, [field.key]: event.target.value })}
              />
            ) : (
              <textarea
                id={`${id}-${field.key}`}
                className="mono"
                rows={field.rows}
                value={values[field.key] ?? ''}
                spellCheck={false}
                autoFocus={field.key === 'command' || field.key === 'content' || field.key === 'new_string'}
                onChange={(event) => setValues({ ...values, [field.key]: event.target.value })}
              />
            )}
          </div>
        ))
      )}
      <section className="edit-preview" aria-label="Preview of the edited call" data-testid="edit-preview">
        <span className="input-label">Preview: what will run</span>
        <Preview
          toolName={toolName}
          originalPath={stringField(input, 'file_path')}
          result={preview}
          context={context}
        />
      </section>
      {error !== null && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Back
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Allow edited
        </button>
      </div>
    </form>
  );
}
