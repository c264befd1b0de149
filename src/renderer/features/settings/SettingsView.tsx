// Settings: the Claude Code binary (checked), the default budget, mode and model for new goals, the
// editor command (Open in editor), stored permission rules, desktop notifications (which kinds), and what this
// console is (version, data dir).
import { RepositoriesSettings } from '../land/RepositoriesSettings';
import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../shared/commands/settings';
import type { PermissionMode } from '../../../shared/domain/goal';
import { ErrorText, Loading } from '../../components/bits';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys, useSettings } from '../../state/queries';
import { NotificationSettings } from './NotificationSettings';
import { BudgetFields } from '../new-goal/BudgetFields';
import { draftFromBudget, parseBudgetDraft, type BudgetField } from '../new-goal/budget-draft';
import { PermissionModeSelect } from '../new-goal/PermissionModeSelect';
import { ClaudeBinaryField } from './ClaudeBinaryField';
import { EditorCommandField } from './EditorCommandField';
import { RulesList } from './RulesList';
import { RunSettingsForm } from './RunSettingsForm';
import { RunnersSettings } from '../runners/RunnersSettings';
import { HostAbout } from './HostAbout';

function SettingsForm({ settings }: { settings: Settings }) {
  const [binary, setBinary] = useState(settings.claudeBinary ?? '');
  const [budget, setBudget] = useState(draftFromBudget(settings.defaultBudget));
  const [budgetErrors, setBudgetErrors] = useState<Partial<Record<BudgetField, string>>>({});
  const [mode, setMode] = useState<PermissionMode>(settings.defaultPermissionMode);
  const [model, setModel] = useState(settings.defaultModel ?? '');
  const [editor, setEditor] = useState(settings.editorCommand ?? '');
  const [saved, setSaved] = useState(false);
  const save = useCommandMutation({
    mutationFn: (patch: Partial<Settings>) => call('settings.update', patch),
    invalidate: [queryKeys.settings],
    onSuccess: () => setSaved(true),
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setSaved(false);
    const parsed = parseBudgetDraft(budget, settings.defaultBudget);
    setBudgetErrors(parsed.ok ? {} : parsed.errors);
    if (!parsed.ok) return;
    save.mutate({
      claudeBinary: binary.trim() === '' ? null : binary.trim(),
      defaultBudget: parsed.budget,
      defaultPermissionMode: mode,
      defaultModel: model.trim() === '' ? null : model.trim(),
      editorCommand: editor.trim() === '' ? null : editor.trim(),
    });
  };

  return (
    <form className="form" aria-label="Settings" onSubmit={submit} noValidate>
      <ClaudeBinaryField value={binary} onChange={setBinary} />
      <BudgetFields legend="Default budget" value={budget} defaults={null} errors={budgetErrors} onChange={setBudget} />
      <div className="field-row">
        <PermissionModeSelect id="default-mode" value={mode} onChange={setMode} />
        <div className="field">
          <label htmlFor="default-model">Default model</label>
          <input
            id="default-model"
            value={model}
            placeholder="Claude Code's default"
            onChange={(event) => setModel(event.target.value)}
          />
        </div>
      </div>
      <EditorCommandField value={editor} onChange={setEditor} />
      {save.error !== null && (
        <p role="alert" className="error-text">
          {failureText(save)}
        </p>
      )}
      <div className="actions">
        {saved && <span role="status">Saved.</span>}
        <button type="submit" className="primary" disabled={save.isPending}>
          Save settings
        </button>
      </div>
    </form>
  );
}

export function SettingsView() {
  const settings = useSettings();
  return (
    <section className="view settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {settings.isPending && <Loading label="Loading settings…" />}
      <ErrorText error={settings.error} />
      {settings.data !== undefined && <SettingsForm settings={settings.data} />}
      <h3>Repositories</h3>
      <RepositoriesSettings />
      <h3>Running goals</h3>
      {settings.data !== undefined && <RunSettingsForm value={settings.data.running} />}
      <h3>Runners</h3>
      <RunnersSettings />
      <h3>Stored permission rules</h3>
      <RulesList />
      <h3>Notifications</h3>
      <NotificationSettings />
      <h3>About</h3>
      <HostAbout />
    </section>
  );
}
