/** Where this code runs; decides the 'auto' order and whether packages may be imported by name. */
export type Environment = 'node' | 'browser' | 'other';

/** Detects Node (has `process.versions.node` and no `window`) versus a browser page or worker. */
export function detectEnvironment(): Environment {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown; self?: unknown };
  if (g.process?.versions?.node !== undefined && g.window === undefined) return 'node';
  if (g.window !== undefined || g.self !== undefined) return 'browser';
  return 'other';
}
