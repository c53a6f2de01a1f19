/**
 * The option names of an options interface `T`, listed once beside it for core's `checkOptions`:
 * `keysOf<LinearOptions>()(['bias', ...])` fails to compile when the list names a key `T` lacks
 * or misses one it has, so the run-time check and the type cannot drift apart.
 */
export function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> }),
  ): K => keys;
}
