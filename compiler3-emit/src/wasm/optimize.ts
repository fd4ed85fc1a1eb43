// The optimiser driver both targets share (wasmgc.md §9.7, handle-abi.md):
// binaryen's -O pipeline, made safe for large functions.
//
// Why large functions need care. binaryen's simplify-locals sinks every
// single-use `local.set` into its use; on a block of n dependent values (each
// computed from the previous one, ordinary compiler output for an unrolled
// or generated computation) that builds one expression n deep. Later passes
// then walk that tree recursively (optimize-instructions, the Stack IR
// writer), on the thread's stack: binaryen.js is compiled C++ running on
// the JS thread, so near 2,500 levels Node's main-thread stack is exhausted
// (`RangeError: Maximum call stack size exceeded`), and even where it is not
// (a larger stack) both simplify-locals (it re-analyses the growing tree's
// effects at every sink) and optimize-instructions take time quadratic in n:
// 10,000 dependent values took 12.5 s with a 256 MiB stack. And
// coalesce-locals is quadratic in the number of locals (the same function
// with its 10,000 locals left unsunk took 41 s in it), and rse (redundant-set
// elimination) in blocks times locals (-O of 3,000 blocks in a chain of
// tests took 422 s with it, 2 s without); merge-blocks and optimize-casts
// took 4.6 of the 7.4 s wasm-opt -O2 spent on 3,000 lists live at once.
//
// So a function with more than LARGE_FUNCTION_VALUES IR values is optimised
// without the passes that nest or whose cost grows with the square of the
// function (LARGE_FUNCTION_SKIPS below): its values stay one `local.set` each,
// flat, as the emitter wrote them (function.ts, which lets the values local
// to one block share locals in place of coalesce-locals), and every other pass (dce,
// optimize-instructions, precompute, inlining of the runtime helpers, …)
// still runs on it. V8 builds its own SSA graph from locals, so flat locals
// cost bytes, two to three times the nested form's code, not speed (a loop
// whose body is 1,500 dependent ops: 9 ms for 20,000 iterations either
// way). Liftoff, V8's baseline compiler, does pay per local at every
// control-flow merge, which function.ts's sharing of block-local locals
// keeps small. Every other
// function of such a module then gets the full function pipeline on its own
// (`optimizeFunction`), so a small hot kernel beside a large function is
// optimised as in any other module. A module without a large function takes
// exactly binaryen's -O, as before.

import { binaryen } from "./binaryen.ts";
import { LARGE_FUNCTION_VALUES } from "./limits.ts";

export { binaryenFailure, LARGE_FUNCTION_VALUES } from "./limits.ts";

/**
 * The passes of binaryen's -O2 that a large function skips: those that nest
 * or cost the square of its size (see above), and ssa-nomerge (run at shrink
 * level 1, the handle ABI's), which gives every local.set a local of its own
 * again, undoing the sharing of function.ts, for the skipped coalesce-locals
 * to merge.
 */
export const LARGE_FUNCTION_SKIPS: readonly string[] = ["simplify-locals-nostructure", "simplify-locals", "coalesce-locals", "rse", "merge-blocks", "optimize-casts", "ssa-nomerge"];

export interface OptimizeOptions {
  /** binaryen's optimize level (2 for -O2) and shrink level; absent: binaryen.js's current settings. */
  level?: number;
  shrink?: number;
  /** Inlining limits (binaryen's defaults where absent). */
  inline?: { always: number; flexible: number; oneCaller: number };
  /** A function never to inline (binaryen's `no-inline` pass argument, a name pattern). */
  noInline?: string;
  /** The module's large functions, by Wasm name (largeFunctions() finds them). */
  large: readonly string[];
}

/** The Wasm names of `names`' functions that have more than LARGE_FUNCTION_VALUES values. */
export function largeFunctions(functions: readonly { values: readonly unknown[] }[], name: (i: number) => string): string[] {
  return functions.flatMap((f, i) => (f.values.length > LARGE_FUNCTION_VALUES ? [name(i)] : []));
}

/**
 * Runs binaryen's optimiser on `m` with `options`. The settings are
 * binaryen.js globals: each is restored afterwards, so that other users of
 * binaryen in the process see what they set.
 */
export function optimizeModule(m: binaryen.Module, options: OptimizeOptions): void {
  const saved = {
    level: binaryen.getOptimizeLevel(),
    shrink: binaryen.getShrinkLevel(),
    always: binaryen.getAlwaysInlineMaxSize(),
    flexible: binaryen.getFlexibleInlineMaxSize(),
    oneCaller: binaryen.getOneCallerInlineMaxSize(),
    noInline: binaryen.getPassArgument("no-inline"),
    skipped: LARGE_FUNCTION_SKIPS.filter((p) => binaryen.hasPassToSkip(p)),
  };
  try {
    if (options.level !== undefined) binaryen.setOptimizeLevel(options.level);
    if (options.shrink !== undefined) binaryen.setShrinkLevel(options.shrink);
    if (options.inline !== undefined) {
      binaryen.setAlwaysInlineMaxSize(options.inline.always);
      binaryen.setFlexibleInlineMaxSize(options.inline.flexible);
      binaryen.setOneCallerInlineMaxSize(options.inline.oneCaller);
    }
    if (options.noInline !== undefined) {
      binaryen.setPassArgument("no-inline", options.noInline);
      m.runPasses(["no-inline"]);
    }
    if (options.large.length === 0) {
      m.optimize();
      return;
    }
    // The whole module without the nonlinear passes (the skip list reaches
    // the pipelines that inlining and the other global passes run again on
    // the functions they change), then the full function pipeline on every
    // function that is not large.
    for (const p of LARGE_FUNCTION_SKIPS) binaryen.addPassToSkip(p);
    m.optimize();
    binaryen.clearPassesToSkip();
    for (const p of saved.skipped) binaryen.addPassToSkip(p);
    const large = new Set(options.large);
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if ((info.module ?? "") !== "" || large.has(info.name)) continue; // an import has no body
      m.optimizeFunction(info.name);
    }
  } finally {
    binaryen.setOptimizeLevel(saved.level);
    binaryen.setShrinkLevel(saved.shrink);
    binaryen.setAlwaysInlineMaxSize(saved.always);
    binaryen.setFlexibleInlineMaxSize(saved.flexible);
    binaryen.setOneCallerInlineMaxSize(saved.oneCaller);
    binaryen.setPassArgument("no-inline", saved.noInline);
    binaryen.clearPassesToSkip();
    for (const p of saved.skipped) binaryen.addPassToSkip(p);
  }
}
