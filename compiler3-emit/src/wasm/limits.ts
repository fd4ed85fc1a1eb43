// What the compile drivers (optimize.ts, compile-thread.ts) share without
// loading binaryen.js: the size above which a function is large, and how a
// failure inside binaryen is reported.

/**
 * Above this many IR values (ir.md §8.1, parameters included) a function is
 * large. The corpus's largest function has 159 values; binaryen's full
 * pipeline handled 2,000 dependent values on Node's main-thread stack and
 * failed at 2,500 (3,000 for one shape, 2,500 for another), so 1,000 leaves
 * a margin of at least two.
 */
export const LARGE_FUNCTION_VALUES = 1000;

/**
 * What a failure inside binaryen (an engine error such as a `RangeError` from
 * a stack it exhausted, or an abort) says about the program: one line with
 * the error and the program's largest function, which is what binaryen's
 * recursion grows with; never the library's stack or source.
 */
export function binaryenFailure(what: string, e: unknown, functions: readonly { name: string; values: readonly unknown[] }[]): string {
  const error = e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]}` : String(e);
  const largest = functions.reduce<{ name: string; values: readonly unknown[] } | undefined>((a, f) => (a === undefined || f.values.length > a.values.length ? f : a), undefined);
  return `${what} failed (${error})${largest === undefined ? "" : `; the largest function is func ${largest.name} with ${largest.values.length} values`}`;
}
