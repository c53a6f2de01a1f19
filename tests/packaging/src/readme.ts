/** What a new user reads in a package's README: its install line and its first example. */

/** The first fenced block of `lang` in `markdown` (its body, without the fences), or undefined. */
export function firstBlock(markdown: string, lang: string): string | undefined {
  const fence = new RegExp(`^\`\`\`${lang}[ \\t]*\\r?\\n([\\s\\S]*?)^\`\`\`[ \\t]*$`, 'm');
  return fence.exec(markdown)?.[1];
}

/**
 * The packages the README's install line names: every `npm i`/`npm install` line of its first
 * ```sh block, without the lines marked optional in their comment (an example must run without
 * what its README calls optional). Versions, if given, are kept: `name@range`.
 */
export function installLine(markdown: string): string[] {
  const block = firstBlock(markdown, 'sh');
  if (block === undefined) return [];
  const specs: string[] = [];
  for (const raw of block.split('\n')) {
    const hash = raw.indexOf('#');
    const comment = hash >= 0 ? raw.slice(hash + 1) : '';
    const command = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    const words = command.split(/\s+/);
    if (words[0] !== 'npm' || (words[1] !== 'i' && words[1] !== 'install')) continue;
    if (/\boptional\b/i.test(comment)) continue;
    specs.push(...words.slice(2).filter((w) => !w.startsWith('-')));
  }
  return specs;
}

/** The package a spec names: `@scope/name@^1` → `@scope/name`, `name@1` → `name`. */
export function specName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at > 0 ? spec.slice(0, at) : spec;
}

/** The package a module specifier imports from: `@snn/plot/node` → `@snn/plot`; undefined for `node:` and relative paths. */
export function importedPackage(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every module specifier of static imports, side-effect imports, re-exports and dynamic imports in `code`. */
export function importsOf(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /^\s*import\s+(?:type\s+)?[\w*{}\s,$]+?\s+from\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /^\s*export\s+(?:type\s+)?[\w*{}\s,$]+?\s+from\s+['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.add(m[1] as string);
  return [...found];
}
