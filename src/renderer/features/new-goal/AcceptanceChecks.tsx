// "More acceptance checks" on the New goal form: besides the plain commands above it, a list of
// checks of any kind — a command with its expected exit code, stdout regex and time limit; a file
// that must match a regex; a clean working tree; forbidden paths; the judge. Problems (bad regex,
// a path outside the worktree, empty fields) show under each check as it is typed; the host checks
// the same rules again before creating the goal.
import { useId } from 'react';
import type { AcceptanceCriterion } from '../../../shared/domain/goal';
import { acceptanceCheckErrors } from './options-draft';

type Kind = AcceptanceCriterion['kind'];

const KINDS: { kind: Kind; label: string; make: () => AcceptanceCriterion }[] = [
  {
    kind: 'shell_command',
    label: 'Command with options',
    make: () => ({ kind: 'shell_command', command: '', expectedExit: 0, stdoutMustMatch: null, timeoutSecs: 300 }),
  },
  {
    kind: 'file_matches',
    label: 'File matches',
    make: () => ({ kind: 'file_matches', path: '', regex: '', required: true }),
  },
  { kind: 'git_clean', label: 'Working tree clean', make: () => ({ kind: 'git_clean' }) },
  { kind: 'no_paths_touched', label: 'Forbidden paths', make: () => ({ kind: 'no_paths_touched', globs: [] }) },
  { kind: 'llm_judge', label: 'Judge', make: () => ({ kind: 'llm_judge', criterionText: '' }) },
];

interface Props {
  value: AcceptanceCriterion[];
  onChange: (next: AcceptanceCriterion[]) => void;
}

export function AcceptanceChecks({ value, onChange }: Props) {
  const id = useId();
  const errors = acceptanceCheckErrors(value);
  const update = (index: number, next: AcceptanceCriterion): void =>
    onChange(value.map((item, at) => (at === index ? next : item)));
  const remove = (index: number): void => onChange(value.filter((_, at) => at !== index));
  return (
    <fieldset className="acceptance-checks" aria-label="More acceptance checks">
      <legend>More acceptance checks</legend>
      {value.length === 0 && (
        <span className="hint">
          Optional: file contents, a clean tree, paths Claude must not touch, or a judge that reads the diff.
        </span>
      )}
      {value.map((criterion, index) => {
        const base = `${id}-${index}`;
        const problems = errors.get(index) ?? [];
        return (
          <div
            className="acceptance-check"
            key={index}
            role="group"
            aria-label={`Check ${index + 1}: ${KINDS.find((k) => k.kind === criterion.kind)?.label ?? criterion.kind}`}
          >
            <CheckFields criterion={criterion} base={base} onChange={(next) => update(index, next)} />
            {problems.map((problem) => (
              <span key={problem} role="alert" className="error-text">
                {problem}
              </span>
            ))}
            <div className="actions">
              <button type="button" onClick={() => remove(index)}>
                Remove check
              </button>
            </div>
          </div>
        );
      })}
      <div className="field-inline" role="group" aria-label="Add a check">
        {KINDS.map(({ kind, label, make }) => (
          <button type="button" key={kind} onClick={() => onChange([...value, make()])}>
            + {label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

function CheckFields({
  criterion,
  base,
  onChange,
}: {
  criterion: AcceptanceCriterion;
  base: string;
  onChange: (next: AcceptanceCriterion) => void;
}) {
  switch (criterion.kind) {
    case 'shell_command':
      return (
        <div className="field-row">
          <Text
            id={`${base}-command`}
            label="Command"
            value={criterion.command}
            mono
            onChange={(command) => onChange({ ...criterion, command })}
          />
          <Text
            id={`${base}-exit`}
            label="Expected exit code"
            value={String(criterion.expectedExit)}
            inputMode="numeric"
            onChange={(text) =>
              onChange({
                ...criterion,
                expectedExit: Number.isInteger(Number(text)) ? Number(text) : criterion.expectedExit,
              })
            }
          />
          <Text
            id={`${base}-stdout`}
            label="Stdout must match (regex)"
            value={criterion.stdoutMustMatch ?? ''}
            mono
            onChange={(text) => onChange({ ...criterion, stdoutMustMatch: text === '' ? null : text })}
          />
          <Text
            id={`${base}-timeout`}
            label="Time limit (seconds)"
            value={String(criterion.timeoutSecs)}
            inputMode="numeric"
            onChange={(text) =>
              onChange({ ...criterion, timeoutSecs: /^\d+$/.test(text) ? Number(text) : criterion.timeoutSecs })
            }
          />
        </div>
      );
    case 'file_matches':
      return (
        <div className="field-row">
          <Text
            id={`${base}-path`}
            label="File (relative to the worktree)"
            value={criterion.path}
            mono
            onChange={(path) => onChange({ ...criterion, path })}
          />
          <Text
            id={`${base}-regex`}
            label="Must match (regex; (?i) (?m) (?s) allowed)"
            value={criterion.regex}
            mono
            onChange={(regex) => onChange({ ...criterion, regex })}
          />
        </div>
      );
    case 'git_clean':
      return <span className="hint">Working tree clean: everything Claude changed is committed.</span>;
    case 'no_paths_touched':
      return (
        <Text
          id={`${base}-globs`}
          label="Paths Claude must not change (globs, comma-separated, e.g. secrets/, *.lock)"
          value={criterion.globs.join(', ')}
          mono
          onChange={(text) =>
            onChange({
              ...criterion,
              globs: text
                .split(',')
                .map((glob) => glob.trim())
                .filter((glob) => glob !== ''),
            })
          }
        />
      );
    case 'llm_judge':
      return (
        <div className="field">
          <label htmlFor={`${base}-judge`}>
            What the judge checks (it reads the goal and its diff, and answers PASS or FAIL)
          </label>
          <textarea
            id={`${base}-judge`}
            rows={2}
            value={criterion.criterionText}
            onChange={(event) => onChange({ ...criterion, criterionText: event.target.value })}
          />
        </div>
      );
  }
}

function Text(props: {
  id: string;
  label: string;
  value: string;
  mono?: boolean;
  inputMode?: 'numeric';
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        className={props.mono === true ? 'mono' : undefined}
        spellCheck={false}
        inputMode={props.inputMode}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </div>
  );
}
