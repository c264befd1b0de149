// Timeline rows of the worktree setup phase (started, live output with elapsed time, finished or
// failed with command, exit code and output tail) and of landing (commit, merge, rebase, PR, clean up).
import type { DriverEvent } from '../../shared/events';
import { formatDuration } from '../lib/format';
import { clipText, type Converted, type RowTone, type TimelineRow } from './timeline-row-types';

type Base = Pick<TimelineRow, 'seq' | 'at' | 'turnIndex'>;
type SetupOrLanding = Extract<
  DriverEvent,
  { kind: 'setup_started' | 'setup_output' | 'setup_finished' | 'goal_landed' }
>;

function row(base: Base, tone: RowTone, label: string, text: string): Converted {
  const clipped = clipText(text);
  return { row: { ...base, kind: 'note', tone, label, text: clipped.text, clipped: clipped.clipped }, pairKey: null };
}

export function convertSetupOrLanding(base: Base, event: SetupOrLanding): Converted {
  switch (event.kind) {
    case 'setup_started': {
      const parts = [
        ...event.setup.copy.map((glob) => `copy ${glob}`),
        ...event.setup.shared.map((folder) => `share ${folder} (linked to the main checkout)`),
        ...event.setup.commands.map((command) => `$ ${command}`),
      ];
      return row(base, 'info', 'Setting up the worktree', parts.join('\n'));
    }
    case 'setup_output':
      return row(
        base,
        event.stream === 'stderr' ? 'warn' : 'info',
        `Setup output · ${formatDuration(event.elapsedMs)}`,
        event.text,
      );
    case 'setup_finished': {
      if (event.ok) return row(base, 'good', `Setup finished in ${formatDuration(event.elapsedMs)}`, event.message);
      if (event.cancelled) return row(base, 'warn', 'Setup cancelled', event.message);
      const exit = event.exitCode === null ? '' : ` (exit ${event.exitCode})`;
      const head = event.command === null ? event.message : `$ ${event.command}${exit}`;
      return row(base, 'error', 'Setup failed', `${head}\n${event.outputTail}`.trim());
    }
    case 'goal_landed':
      return row(base, 'good', `Landed: ${event.landing.action}`, event.landing.message);
  }
}
