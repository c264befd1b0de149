// A long text (a tool's full output) shown line by line in a scroll box that renders only the
// lines in view (@tanstack/react-virtual), so opening a result of 100,000 lines stays fast.
import { useCallback, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/** Texts with more lines than this are virtualized; shorter ones render as one block. */
export const VIRTUALIZE_FROM_LINES = 400;

export function VirtualLines({ text, label, tone = null }: { text: string; label: string; tone?: 'error' | null }) {
  const lines = useMemo(() => text.split('\n'), [text]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const estimateSize = useCallback(() => 18, []);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement, estimateSize, overscan: 20 });
  return (
    <div
      ref={scrollRef}
      className={`virtual-lines pre${tone === 'error' ? ' tone-error' : ''}`}
      role="region"
      aria-label={label}
      tabIndex={0}
      data-testid="virtual-lines"
      data-lines={lines.length}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            className="virtual-line"
            style={{ transform: `translateY(${item.start}px)` }}
          >
            {lines[item.index] === '' ? '\u00a0' : lines[item.index]}
          </div>
        ))}
      </div>
    </div>
  );
}
