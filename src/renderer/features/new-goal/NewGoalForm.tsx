// "New goal": repository (recent ones suggested), description, acceptance commands (one per line →
// shell_command criteria), budget (prefilled with the last values used, else the defaults from
// Settings), model (known models suggested, any name allowed), permission mode, worktree or in
// place. A submit with problems marks each field, puts the error text beside it and moves focus to
// the first one. Starting it remembers the choices and opens the goal.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AcceptanceCriterion, PermissionMode } from '../../../shared/domain/goal';
import { toolsProblems } from '../../../shared/domain/acceptance-rules';
import type { CommandRequest } from '../../../shared/contract';
import type { Settings } from '../../../shared/commands/settings';
import { ErrorText, Loading } from '../../components/bits';
import { queryKeys, useGoals, useSettings } from '../../state/queries';
import { openGoal } from '../../state/route';
import { BudgetFields } from './BudgetFields';
import { useTurnTimeoutField } from './TurnTimeoutField';
import { OnBudgetChoice } from './OnBudgetChoice';
import type { OnBudget } from '../../../shared/domain/goal';
import { draftFromBudget, parseBudgetDraft, type BudgetDraft, type BudgetField } from './budget-draft';
import { RepoField } from './RepoField';
import { useRepoCheck } from './repo-check';
import { PermissionModeSelect } from './PermissionModeSelect';
import { AcceptanceChecks } from './AcceptanceChecks';
import { AdvancedOptions } from './AdvancedOptions';
import { acceptanceCheckErrors, EMPTY_TOOLS_DRAFT, toolsFromDraft } from './options-draft';
import { SetupFields, setupOverride } from '../land/SetupFields';
import { RunsOnSelect } from '../runners/RunsOnSelect';
import { createGoalWhereItRuns } from '../runners/runs-on';
import { KNOWN_MODELS, loadLastValues, recentRepositories, saveLastValues, startingValues } from './remembered';

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

interface FieldErrors {
  repo?: string;
  description?: string;
}

function Form({ settings }: { settings: Settings }) {
  const queryClient = useQueryClient();
  const defaults = draftFromBudget(settings.defaultBudget);
  const formDefaults = {
    model: settings.defaultModel ?? '',
    permissionMode: settings.defaultPermissionMode,
    budget: defaults,
  };
  const [start] = useState(() => startingValues(loadLastValues(), formDefaults));
  const goals = useGoals();
  const recent = recentRepositories(goals.data ?? []);
  const formRef = useRef<HTMLFormElement>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  // Bumped by a submit with problems: focus then moves to the first field marked invalid.
  const [focusRequest, setFocusRequest] = useState(0);
  const [repoPath, setRepoPath] = useState('');
  const { check: repoCheck, validate: validateRepo, reset: resetRepoCheck } = useRepoCheck();
  const [description, setDescription] = useState('');
  const [acceptance, setAcceptance] = useState('');
  const [budget, setBudget] = useState<BudgetDraft>(start.budget);
  const [budgetErrors, setBudgetErrors] = useState<Partial<Record<BudgetField, string>>>({});
  const [model, setModel] = useState(start.model);
  const [mode, setMode] = useState<PermissionMode>(start.permissionMode);
  const [inPlace, setInPlace] = useState(false);
  const [onBudget, setOnBudget] = useState<OnBudget>(start.onBudget);
  const [checks, setChecks] = useState<AcceptanceCriterion[]>([]);
  const [tools, setTools] = useState(EMPTY_TOOLS_DRAFT);
  const [formError, setFormError] = useState<string | null>(null);
  const turnTimeout = useTurnTimeoutField(start.turnTimeout);
  useEffect(() => {
    if (focusRequest === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

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
    const errors: FieldErrors = {};
    if (repoPath.trim() === '') errors.repo = 'Choose a repository folder.';
    if (description.trim() === '') errors.description = 'Describe what Claude should achieve.';
    setFieldErrors(errors);
    const repoInvalid = repoCheck.state === 'done' && !repoCheck.result.ok;
    const problems =
      Object.keys(errors).length > 0 ||
      repoInvalid ||
      acceptanceCheckErrors(checks).size > 0 ||
      toolsProblems(toolsFromDraft(tools)).length > 0 ||
      !turnTimeout.value.ok;
    if (!parsed.ok || problems) {
      setFormError('Fix the fields marked above.');
      setFocusRequest((count) => count + 1);
      return;
    }
    saveLastValues({
      model,
      permissionMode: mode,
      budget,
      onBudget,
      turnTimeout: turnTimeout.text,
      defaults: formDefaults,
    });
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
    <form ref={formRef} className="form new-goal" aria-label="New goal" onSubmit={submit} noValidate>
      <RunsOnSelect onChange={resetRepoCheck} />
      <RepoField
        value={repoPath}
        onChange={(value) => {
          setRepoPath(value);
          if (fieldErrors.repo !== undefined && value.trim() !== '')
            setFieldErrors({ ...fieldErrors, repo: undefined });
        }}
        check={repoCheck}
        onValidate={validateRepo}
        recent={recent}
        required={fieldErrors.repo ?? null}
      />
      <div className="field">
        <label htmlFor="goal-description">Goal description</label>
        <textarea
          id="goal-description"
          rows={4}
          value={description}
          aria-invalid={fieldErrors.description !== undefined}
          aria-describedby={fieldErrors.description !== undefined ? 'goal-description-error' : undefined}
          onChange={(event) => {
            setDescription(event.target.value);
            if (fieldErrors.description !== undefined && event.target.value.trim() !== '')
              setFieldErrors({ ...fieldErrors, description: undefined });
          }}
          placeholder="e.g. Make the failing tests in src/parser pass"
        />
        {fieldErrors.description !== undefined && (
          <span id="goal-description-error" className="error-text">
            {fieldErrors.description}
          </span>
        )}
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
          placeholder={'e.g. npm test'}
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
            list="goal-model-options"
            value={model}
            placeholder="e.g. sonnet (empty: Claude Code's default)"
            aria-describedby="goal-model-hint"
            onChange={(event) => setModel(event.target.value)}
          />
          <datalist id="goal-model-options">
            {KNOWN_MODELS.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <span id="goal-model-hint" className="hint">
            Pick one or type any model name Claude Code accepts.
          </span>
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
