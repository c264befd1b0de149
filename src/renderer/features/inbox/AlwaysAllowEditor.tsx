// "Always allow": choose the rule's reach (this goal, this repository, everywhere) and what it
// matches (exactly this argument, any call of the tool, or a glob), see the rule the host would
// save and which requests it matches (rule.preview), then save it and allow.
import { useEffect, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AlwaysAllow, RuleDraft } from '../../../shared/commands/permissions';
import type { PermissionRequest } from '../../../shared/domain/permission';
import { ErrorText } from '../../components/bits';
import { call } from '../../lib/command';
import { clip } from '../../lib/format';
import { toolSummary } from '../../../shared/tool-input';

type Reach = AlwaysAllow['scope'];
type Match = 'exact' | 'any' | 'glob';

function scopeText(rule: RuleDraft): string {
  switch (rule.scope.kind) {
    case 'goal':
      return 'this goal only';
    case 'repository':
      return `every goal in ${rule.scope.repoPath}`;
    case 'everywhere':
      return 'every goal, everywhere';
  }
}

export function AlwaysAllowEditor({
  request,
  busy,
  onSave,
  onCancel,
}: {
  request: PermissionRequest;
  busy: boolean;
  onSave: (rule: AlwaysAllow) => void;
  onCancel: () => void;
}) {
  const argument = toolSummary(request.toolName, request.input);
  const fieldId = useId();
  const [reach, setReach] = useState<Reach>('goal');
  const [match, setMatch] = useState<Match>('exact');
  const [glob, setGlob] = useState(argument);
  const [debouncedGlob, setDebouncedGlob] = useState(glob);
  useEffect(() => {
    const timer = setTimeout(() => setDebouncedGlob(glob), 300);
    return () => clearTimeout(timer);
  }, [glob]);

  const rule: AlwaysAllow =
    match === 'exact'
      ? { scope: reach }
      : match === 'any'
        ? { scope: reach, pattern: null }
        : { scope: reach, pattern: debouncedGlob.trim() === '' ? null : debouncedGlob };
  const preview = useQuery({
    queryKey: ['rule.preview', request.id, rule.scope, rule.pattern === undefined ? '<exact>' : rule.pattern],
    queryFn: () => call('rule.preview', { requestId: request.id, rule }),
    retry: false,
  });

  return (
    <div className="always-allow" role="group" aria-label="Always allow rule">
      <fieldset className="radio-group">
        <legend>Applies to</legend>
        {(['goal', 'repository', 'everywhere'] as const).map((value) => (
          <label key={value}>
            <input type="radio" name={`${fieldId}-reach`} checked={reach === value} onChange={() => setReach(value)} />{' '}
            {value === 'goal' ? 'This goal' : value === 'repository' ? 'This repository' : 'Everywhere'}
          </label>
        ))}
      </fieldset>
      <fieldset className="radio-group">
        <legend>Matches</legend>
        <label>
          <input
            type="radio"
            name={`${fieldId}-match`}
            checked={match === 'exact'}
            onChange={() => setMatch('exact')}
          />{' '}
          Exactly this: <span className="mono">{clip(argument, 80)}</span>
        </label>
        <label>
          <input type="radio" name={`${fieldId}-match`} checked={match === 'any'} onChange={() => setMatch('any')} />{' '}
          Any {request.toolName} call
        </label>
        <label>
          <input type="radio" name={`${fieldId}-match`} checked={match === 'glob'} onChange={() => setMatch('glob')} />{' '}
          A pattern
        </label>
        {match === 'glob' && (
          <div className="field">
            <label htmlFor={`${fieldId}-glob`}>Pattern (glob)</label>
            <input
              id={`${fieldId}-glob`}
              className="mono"
              value={glob}
              onChange={(event) => setGlob(event.target.value)}
            />
          </div>
        )}
      </fieldset>
      <div className="rule-preview" aria-live="polite" data-testid="rule-preview">
        {preview.isPending && <span className="hint">Checking what the rule matches…</span>}
        <ErrorText error={preview.error} />
        {preview.data !== undefined && (
          <>
            <p>
              Rule: <strong>{preview.data.rule.decision}</strong> <span className="mono">{preview.data.rule.tool}</span>{' '}
              {preview.data.rule.pattern === null ? (
                'with any input'
              ) : (
                <>
                  matching <span className="mono">{preview.data.rule.pattern}</span>
                </>
              )}{' '}
              in {scopeText(preview.data.rule)}
            </p>
            <p>
              Matches {preview.data.pendingCount} pending and {preview.data.pastCount} past requests.
            </p>
            {preview.data.matches.length > 0 && (
              <ul className="match-list" aria-label="Requests the rule matches">
                {preview.data.matches.slice(0, 8).map((record) => (
                  <li key={record.request.id} className="mono">
                    {record.status === 'pending' ? '(pending) ' : ''}
                    {record.request.toolName}: {clip(toolSummary(record.request.toolName, record.request.input), 100)}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || preview.data === undefined}
          onClick={() => onSave(rule)}
        >
          Save rule and allow
        </button>
      </div>
    </div>
  );
}
