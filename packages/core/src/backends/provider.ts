/** Names of the backends snn knows. `'cuda'` is tfjs-node-gpu (tfjs backend name `'tensorflow'`). */
export const BACKEND_NAMES = ['cpu', 'wasm', 'webgl', 'webgpu', 'cuda'] as const;

/** A backend snn can run on. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What `useBackend` accepts: a backend name, or `'auto'` for the fastest that starts here. */
export type BackendChoice = BackendName | 'auto';

/**
 * What a backend package tells core about itself when it is imported. Core never imports a
 * tfjs backend other than cpu; it asks the provider.
 */
export interface BackendProvider {
  /** snn's name for it. */
  readonly name: BackendName;
  /** The name tfjs registers the backend under (`'tensorflow'` for cuda). */
  readonly tfjsName: string;
  /** The npm package a user installs to get it. */
  readonly packageName: string;
  /**
   * Checks that the backend can start here without starting it: returns `null` when it can,
   * otherwise the reason in words (what is missing and what to do). Never throws.
   */
  unavailableReason(): Promise<string | null>;
  /** Optional work before `tf.setBackend`, e.g. loading an optional peer dependency. */
  prepare?(): Promise<void>;
  /** Optional work once tfjs runs on it (the backend instance is `tf.backend()`). */
  started?(): void;
}
