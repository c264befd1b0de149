// The New goal form's "Advanced" section: Claude's tool options for every turn of the goal —
// tools it runs without asking, tools it may not use, extra directories it may work in, and text
// appended to its system prompt. Kept as text while typed; toolsFromDraft makes the goal's value.
import { toolsProblems } from '../../../shared/domain/acceptance-rules';
import { toolsFromDraft, type ToolsDraft } from './options-draft';

export function AdvancedOptions({ value, onChange }: { value: ToolsDraft; onChange: (next: ToolsDraft) => void }) {
  const problems = toolsProblems(toolsFromDraft(value));
  const set = (field: keyof ToolsDraft) => (event: { target: { value: string } }) =>
    onChange({ ...value, [field]: event.target.value });
  return (
    <details className="advanced-options">
      <summary>Advanced</summary>
      <div className="form">
        <div className="field-row">
          <div className="field">
            <label htmlFor="goal-allowed-tools">Allowed tools (run without asking)</label>
            <input
              id="goal-allowed-tools"
              className="mono"
              spellCheck={false}
              value={value.allowed}
              placeholder="e.g. Read, Bash(git diff:*)"
              onChange={set('allowed')}
            />
          </div>
          <div className="field">
            <label htmlFor="goal-disallowed-tools">Disallowed tools</label>
            <input
              id="goal-disallowed-tools"
              className="mono"
              spellCheck={false}
              value={value.disallowed}
              placeholder="e.g. WebFetch, WebSearch"
              onChange={set('disallowed')}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor="goal-add-dirs">Extra directories</label>
          <textarea
            id="goal-add-dirs"
            className="mono"
            rows={2}
            spellCheck={false}
            value={value.addDirs}
            placeholder="e.g. /home/me/shared-docs"
            aria-describedby="goal-add-dirs-hint"
            onChange={set('addDirs')}
          />
          <span id="goal-add-dirs-hint" className="hint">
            One absolute path per line: folders Claude may work in besides the worktree.
          </span>
        </div>
        <div className="field">
          <label htmlFor="goal-system-prompt">Append to the system prompt</label>
          <textarea
            id="goal-system-prompt"
            rows={3}
            value={value.appendSystemPrompt}
            onChange={set('appendSystemPrompt')}
          />
        </div>
        {problems.map((problem) => (
          <span key={problem.message} role="alert" className="error-text">
            {problem.message}
          </span>
        ))}
      </div>
    </details>
  );
}
