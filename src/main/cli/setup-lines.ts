// CLI lines for the worktree setup phase and landing events.
import type { DriverEvent } from '../../shared/events.js';
import { formatDuration } from '../../shared/domain/duration.js';

export function describeSetupEvent(event: DriverEvent): string | null {
  switch (event.kind) {
    case 'setup_started':
      return `▶ setting up the worktree ${event.workspacePath}`;
    case 'setup_output':
      return (
        event.text
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => `  │ ${line}`)
          .join('\n') || null
      );
    case 'setup_finished':
      if (event.ok) return `✓ setup done in ${formatDuration(event.elapsedMs)}`;
      return [
        `✗ ${event.message}`,
        ...(event.outputTail === '' ? [] : event.outputTail.split('\n').map((line) => `  │ ${line}`)),
      ].join('\n');
    case 'goal_landed':
      return `✓ landed (${event.landing.action}): ${event.landing.message}`;
    default:
      return null;
  }
}
