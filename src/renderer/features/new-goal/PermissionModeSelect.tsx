// The permission mode choice, with what each mode means.
import { PermissionModeSchema, type PermissionMode } from '../../../shared/domain/goal';

export const MODE_LABELS: Record<PermissionMode, string> = {
  ask: 'Ask for every tool call',
  'allow-edits': 'Allow file edits, ask for the rest',
  'allow-all': 'Allow everything',
  deny: 'Deny everything',
};

export function PermissionModeSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: PermissionMode;
  onChange: (mode: PermissionMode) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Permission mode</label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          const parsed = PermissionModeSchema.safeParse(event.target.value);
          if (parsed.success) onChange(parsed.data);
        }}
      >
        {PermissionModeSchema.options.map((mode) => (
          <option key={mode} value={mode}>
            {MODE_LABELS[mode]}
          </option>
        ))}
      </select>
    </div>
  );
}
