// The exact fma's host import (fma.ts), apart from the emitter so that a host
// can bind it without loading binaryen.js (the browser loader bundle).

/** The import the host provides: `(import "vm3" "fma_slow" (func (param f64 f64 f64) (result f64)))`. */
export const FMA_SLOW_IMPORT = { module: "vm3", base: "fma_slow" } as const;
