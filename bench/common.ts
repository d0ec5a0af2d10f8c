/** Helpers the benchmark scripts share: timing and finding a program. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

/** The best of n runs, and the first (cold) one. */
export function bestOf<T>(n: number, f: () => T): { value: T; ms: number; firstMs: number } {
  let out = timed(f);
  const firstMs = out.ms;
  for (let i = 1; i < n; i++) {
    const r = timed(f);
    if (r.ms < out.ms) out = r;
  }
  return { ...out, firstMs };
}

/** A program on PATH or in the sbin folders (Debian puts the netfilter tools there), or undefined. */
export function which(program: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin']) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not here
    }
  }
  return undefined;
}
