// A tool call's risk badges (see shared/tool-risk): worded, not colour alone, with what triggered each.
import type { RiskBadge } from '../../../shared/tool-risk';

export function RiskBadges({ badges }: { badges: readonly RiskBadge[] }) {
  if (badges.length === 0) return null;
  return (
    <ul className="risk-badges" aria-label="Risks" data-testid="risk-badges">
      {badges.map((badge) => (
        <li key={badge.kind} className={`risk-badge risk-${badge.kind}`} title={badge.detail} data-risk={badge.kind}>
          <span aria-hidden="true">⚠ </span>
          {badge.label}
        </li>
      ))}
    </ul>
  );
}
