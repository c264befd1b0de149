// "New goal": repository, description, acceptance commands (one per line → shell_command
// criteria), budget (prefilled with the defaults from Settings), model, permission mode, worktree
// or in place. Starting it opens the goal.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AcceptanceCriterion, PermissionMode } from '../../../shared/domain/goal';
import { toolsProblems } from '../../../shared/domain/acceptance-rules';
import type { CommandRequest } from '../../../shared/contract';
import type { Settings } from '../../../shared/commands/settings';
import { ErrorText, Loading } from '../../components/bits';
import { queryKeys, useSettings } from '../../state/queries';
import { openGoal } from '../../state/route';
import { BudgetFields } from './BudgetFields';
import { useTurnTimeoutField } from './TurnTimeoutField';
import { OnBudgetChoice } from './OnBudgetChoice';
import type { OnBudget } from '../../../shared/domain/goal';
import { draftFromBudget, parseBudgetDraft, type BudgetDraft, type BudgetField } from './budget-draft';
import { RepoField, type RepoCheck } from './RepoField';
import { PermissionModeSelect } from './PermissionModeSelect';
import { AcceptanceChecks } from './AcceptanceChecks';
import { AdvancedOptions } from './AdvancedOptions';
import { acceptanceCheckErrors, EMPTY_TOOLS_DRAFT, toolsFromDraft } from './options-draft';
import { SetupFields, setupOverride } from '../land/SetupFields';
import { RunsOnSelect } from '../runners/RunsOnSelect';
import { createGoalWhereItRuns } from '../runners/runs-on';

export function acceptanceFromText(text: string) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((command) => ({
      kind: 'shell_command' as const,
      command,
      expectedExit: 0,
      stdoutMustMatch: null,
      timeoutSecs: 300,
    }));
}

function Form({ settings }: { settings: Settings }) {
  const queryClient = useQueryClient();
  const defaults = draftFromBudget(settings.defaultBudget);
  const [repoPath, setRepoPath] = useState('');
  const [repoCheck, setRepoCheck] = useState<RepoCheck>({ state: 'idle' });
  const [description, setDescription] = useState('');
  const [acceptance, setAcceptance] = useState('');
  const [budget, setBudget] = useState<BudgetDraft>(defaults);
  const [budgetErrors, setBudgetErrors] = useState<Partial<Record<BudgetField, string>>>({});
  const [model, setModel] = useState(settings.defaultModel ?? '');
  const [mode, setMode] = useState<PermissionMode>(settings.defaultPermissionMode);
  const [inPlace, setInPlace] = useState(false);
  const [onBudget, setOnBudget] = useState<OnBudget>('pause');
  const [checks, setChecks] = useState<AcceptanceCriterion[]>([]);
  const [tools, setTools] = useState(EMPTY_TOOLS_DRAFT);
  const [formError, setFormError] = useState<string | null>(null);
  const turnTimeout = useTurnTimeoutField();

  const create = useMutation({
    mutationFn: (request: CommandRequest<'goal.create'>) => createGoalWhereItRuns(request),
    onSuccess: async ({ goalId }) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.goals });
      openGoal(goalId);
    },
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setFormError(null);
    const parsed = parseBudgetDraft(budget, settings.defaultBudget);
    setBudgetErrors(parsed.ok ? {} : parsed.errors);
    if (!parsed.ok) return setFormError('Fix the budget fields marked below.');
    if (repoPath.trim() === '') return setFormError('Choose a repository folder.');
    if (description.trim() === '') return setFormError('Describe the goal.');
    if (repoCheck.state === 'done' && !repoCheck.result.ok)
      return setFormError(`Repository: ${repoCheck.result.message}`);
    if (acceptanceCheckErrors(checks).size > 0 || toolsProblems(toolsFromDraft(tools)).length > 0)
      return setFormError('Fix the checks and options marked below.');
    if (!turnTimeout.value.ok) return setFormError(`Turn timeout: ${turnTimeout.value.error}`);
    create.mutate({
      repoPath: repoCheck.state === 'done' && repoCheck.result.ok ? repoCheck.result.path : repoPath.trim(),
      description: description.trim(),
      acceptance: [...acceptanceFromText(acceptance), ...checks],
      tools: toolsFromDraft(tools),
      budget: parsed.budget,
      model: model.trim() === '' ? null : model.trim(),
      permissionMode: mode,
      inPlace,
      turnTimeoutMs: turnTimeout.value.ok ? turnTimeout.value.ms : null,
      start: true,
      onBudget,
      setup: inPlace ? null : setupOverride(),
    });
  };

  return (
    <form className="form new-goal" aria-label="New goal" onSubmit={submit} noValidate>
      <RunsOnSelect onChange={() => setRepoCheck({ state: 'idle' })} />
      <RepoField value={repoPath} onChange={setRepoPath} check={repoCheck} onCheck={setRepoCheck} />
      <div className="field">
        <label htmlFor="goal-description">Goal description</label>
        <textarea
          id="goal-description"
          rows={4}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          placeholder="What should Claude achieve?"
        />
      </div>
      <div className="field">
        <label htmlFor="goal-acceptance">Acceptance commands</label>
        <textarea
          id="goal-acceptance"
          rows={3}
          spellCheck={false}
          value={acceptance}
          aria-describedby="goal-acceptance-hint"
          onChange={(event) => setAcceptance(event.target.value)}
          placeholder={'npm test\nnpx tsc --noEmit'}
        />
        <span id="goal-acceptance-hint" className="hint">
          One shell command per line; each must exit 0 for the goal to be done. Empty: Claude decides when it is done.
        </span>
      </div>
      <AcceptanceChecks value={checks} onChange={setChecks} />
      <BudgetFields legend="Budget" value={budget} defaults={defaults} errors={budgetErrors} onChange={setBudget} />
      <OnBudgetChoice value={onBudget} onChange={setOnBudget} />
      {turnTimeout.element}
      <div className="field-row">
        <div className="field">
          <label htmlFor="goal-model">Model</label>
          <input
            id="goal-model"
            value={model}
            placeholder="Claude Code's default"
            onChange={(event) => setModel(event.target.value)}
          />
        </div>
        <PermissionModeSelect id="goal-mode" value={mode} onChange={setMode} />
      </div>
      <fieldset className="radio-group">
        <legend>Workspace</legend>
        <label>
          <input type="radio" name="workspace" checked={!inPlace} onChange={() => setInPlace(false)} /> Worktree (a
          branch of its own)
        </label>
        <label>
          <input type="radio" name="workspace" checked={inPlace} onChange={() => setInPlace(true)} /> In place (the
          repository’s own working tree)
        </label>
      </fieldset>
      <AdvancedOptions value={tools} onChange={setTools} />
      <SetupFields
        repoPath={repoCheck.state === 'done' && repoCheck.result.ok ? repoCheck.result.path : null}
        inPlace={inPlace}
      />
      {formError !== null && (
        <p role="alert" className="error-text">
          {formError}
        </p>
      )}
      <ErrorText error={create.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Starting…' : 'Start goal'}
        </button>
      </div>
    </form>
  );
}

export function NewGoalView() {
  const settings = useSettings();
  return (
    <section className="view" aria-labelledby="new-goal-title">
      <h2 id="new-goal-title">New goal</h2>
      {settings.isPending && <Loading label="Loading defaults…" />}
      <ErrorText error={settings.error} />
      {settings.data !== undefined && <Form settings={settings.data} />}
    </section>
  );
}
