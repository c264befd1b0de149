// The editor command setting: what "Open in editor" (Land panel) and `overseer open --editor` run
// with the goal's folder added at the end. Empty means "detect one"; the placeholder and the help
// say which editor that finds on this machine right now (editor.detect).
import { useQuery } from '@tanstack/react-query';
import { call } from '../../lib/command';

export function EditorCommandField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const detected = useQuery({
    queryKey: ['editor', 'detect'],
    queryFn: () => call('editor.detect', {}),
    staleTime: 60_000,
  });
  const found = detected.data?.detected ?? null;
  const fallback = detected.isPending
    ? 'looking for an editor…'
    : found === null
      ? 'none found (no code, cursor, $VISUAL or $EDITOR)'
      : `${found} (detected)`;
  return (
    <div className="field">
      <label htmlFor="editor-command">Editor command</label>
      <input
        id="editor-command"
        className="mono"
        value={value}
        placeholder={found ?? 'e.g. code --new-window'}
        spellCheck={false}
        autoComplete="off"
        aria-describedby="editor-command-help"
        onChange={(event) => onChange(event.target.value)}
      />
      <span id="editor-command-help" className="hint" data-testid="editor-command-help">
        Opens a goal&apos;s folder from the Land panel and with <code>overseer open --editor</code>; the folder&apos;s
        path is added at the end (quotes group words, e.g. <code>&quot;/opt/My Editor/bin/edit&quot; --new-window</code>
        ). Use a graphical editor: it starts without a terminal. Empty: the first found of <code>code</code>,{' '}
        <code>cursor</code>, $VISUAL, $EDITOR — now {fallback}.
      </span>
    </div>
  );
}
