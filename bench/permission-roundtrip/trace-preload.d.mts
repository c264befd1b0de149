// Types of trace-preload.mjs (plain JavaScript, so the built bridge can load it with `node --import`).
export interface ProcessTrace {
  /** Records so far: [ns, 0 data | 1 write, role] or [ns, 2, 'gc', duration ns]. */
  readonly records: unknown[];
  stop(): void;
}
export function installTrace(): ProcessTrace;
