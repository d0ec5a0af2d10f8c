import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of an executable on PATH (or the path itself, when given one), or undefined. */
export function findExecutable(nameOrPath: string): string | undefined {
  const candidates = nameOrPath.includes('/')
    ? [nameOrPath]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, nameOrPath));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Decides whether a client spec can run. A missing program is a printed skip on a developer machine,
 * never a silent pass; under CI (CI=true) it is a failure, because `.ci/run` installs every program.
 */
export function requireProgram(spec: string, program: string, install: string): string | undefined {
  const found = findExecutable(program);
  if (found) return found;
  const reason = `${spec}: ${program} is not installed (${install})`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must install it (see .ci/run)`);
  // Straight to stderr: Jest drops the buffered console output of a suite whose tests are all skipped.
  process.stderr.write(`\nSKIPPED ${reason}\n`);
  return undefined;
}
