// The compiler3 IR reference interpreter (ir.md §8): runProgram and its result types.
export { DEFAULT_MAX_DEPTH, type ResultValue, type RunOptions, type RunResult, RunUsageError, runProgram } from "./run.ts";
export { fma, fmaExact, f64Bits, f64FromBits, f64ToI64 } from "./f64.ts";
export { add, div, mod, mul, neg, sub, type I64 } from "./i64.ts";
