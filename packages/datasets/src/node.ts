/**
 * Node's built-in modules, imported only when a Node-only function runs. The specifier is a
 * variable so that bundlers for the browser neither resolve nor warn about `node:` modules;
 * everything else in this package works without them.
 */

type NodeModules = {
  'node:fs/promises': typeof import('node:fs/promises');
  'node:zlib': typeof import('node:zlib');
  'node:module': typeof import('node:module');
  'node:path': typeof import('node:path');
};

/** True when running in Node (or a runtime that provides Node's built-ins, such as Bun or Deno). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Imports one of Node's built-in modules at run time. */
export async function nodeModule<K extends keyof NodeModules>(name: K): Promise<NodeModules[K]> {
  const specifier: string = name;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as NodeModules[K];
}
