// What crosses `page.evaluate` between the chromium backends
// (chromium-backends.ts, in Node) and the conformance page (page.ts, in
// chromium). Playwright serialises arguments and results as JSON-like
// values, so every int64 travels as a decimal string and a module as
// base64; this file is the one place that converts either way.
import type { HeapConfig } from "../../../ts-runtime/src/heap-config.ts";
import type { ResultValue, RunResult } from "../../../ts-runtime/src/interp/run.ts";
import type { TrapCode } from "../../../ts-runtime/src/trap.ts";
import type { RunOutcome } from "../../../compiler3-emit/src/run/request.ts";

export type WireEngine = "wasmgc" | "handle-abi";

export interface WireRequest {
  readonly engine: WireEngine;
  /** Names the program and its module (worker-backend.ts's programKey). */
  readonly key: string;
  /** The program as canonical proto3 JSON (programToJsonText). */
  readonly programJson: string;
  readonly binaryBase64: string;
  readonly entry: string;
  /** Decimal int64s. */
  readonly args: readonly string[];
  readonly heap: HeapConfig;
  readonly timeoutMs: number;
  /** The host library's URL, which the worker imports (run/request.ts RunRequest.hostLibrary, host.md §11.5). */
  readonly hostLibrary?: string;
}

export type WireValue =
  | { type: "i64"; i64: string }
  | { type: "f64"; bits: string }
  | { type: "bool"; bool: boolean }
  | { type: "str"; str: string }
  | { type: "unit" };

export type WireResult = { kind: "ok"; value: WireValue } | { kind: "trap"; code: number; name: string; function: string; block: number; value: number; message: string };

/** A RunOutcome on the wire, or why the page's runner failed (the worker died, the module broke its contract). */
export type WireOutcome =
  | { kind: "finished"; result: WireResult; elapsedMs: number }
  | { kind: "timeout"; limitMs: number; afterMs: number }
  | { kind: "refused"; message: string }
  | { kind: "failed"; error: string };

export function toWireOutcome(o: RunOutcome): WireOutcome {
  if (o.kind !== "finished") return o.kind === "timeout" ? { kind: "timeout", limitMs: o.limitMs, afterMs: o.afterMs } : { kind: "refused", message: o.message };
  const r = o.result;
  return { kind: "finished", elapsedMs: o.elapsedMs, result: r.kind === "trap" ? { ...r } : { kind: "ok", value: toWireValue(r.value) } };
}

function toWireValue(v: ResultValue): WireValue {
  switch (v.type) {
    case "i64":
      return { type: "i64", i64: v.i64.toString() };
    case "f64":
      return { type: "f64", bits: v.bits.toString() };
    default:
      return v;
  }
}

/** The outcome back in run/request.ts's shape (heap counters are not carried: the judge compares results). */
export function fromWireOutcome(o: Exclude<WireOutcome, { kind: "failed" }>): RunOutcome {
  if (o.kind !== "finished") return o;
  const r = o.result;
  const result: RunResult = r.kind === "trap" ? { ...r, code: r.code as TrapCode } : { kind: "ok", value: fromWireValue(r.value) };
  return { kind: "finished", elapsedMs: o.elapsedMs, result };
}

function fromWireValue(v: WireValue): ResultValue {
  switch (v.type) {
    case "i64":
      return { type: "i64", i64: BigInt(v.i64) };
    case "f64": {
      const bits = BigInt(v.bits);
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt.asUintN(64, bits));
      return { type: "f64", f64: view.getFloat64(0), bits };
    }
    default:
      return v;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
