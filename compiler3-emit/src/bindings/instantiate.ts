// The entry of `vm3-bindings.js`, the runtime that `vm3 emit --bindings`
// writes beside a program's generated module (bindings.md §4): it picks the
// target as the browser loader does (WasmGC where the engine validates the
// GC and relaxed-SIMD probes and the module itself, else the handle-ABI
// module on the TypeScript heap), fetches the module (a file: URL is read
// from disk under Node, where fetch cannot), compiles it and binds it.
// Runs in Node and in browsers alike, on the calling thread.

import { detect, type Prefer } from "../browser/loader.ts";
import type { ProbeName } from "../browser/probes.ts";
import { programFromPlain } from "../ir/json-plain.ts";
import type { Program } from "../ir/model.ts";
import { compileWasmGcModule } from "../wasmgc/run.ts";
import { bind, type BindOptions, type BoundProgram } from "./bind.ts";
import { compileHandleAbi } from "../../../ts-runtime/src/abi-host/contract.ts";

export { Trap, TrapCode } from "../../../ts-runtime/src/trap.ts";
export { HostReentryError } from "../../../ts-runtime/src/abi-host/host-imports.ts";
export { HostLinkError } from "../../../ts-runtime/src/host-functions.ts";
export { ListRef, MapRef, StructRef, Vm3Ref } from "./refs.ts";
export type { BindOptions, BoundProgram, Engine } from "./bind.ts";

export interface InstantiateOptions extends BindOptions {
  /** "auto" (default) and "wasmgc": WasmGC where this engine can run it, else handle-ABI; "handle-abi": always handle-ABI. */
  target?: Prefer;
  /** Test hook: these probe answers replace the engine's. */
  probeOverride?: Partial<Record<ProbeName, boolean>>;
}

/** Where a program's two modules are: URLs (or paths' file: URLs), or the bytes themselves. */
export interface ModuleSources {
  readonly wasmgc: URL | string | Uint8Array;
  readonly handleAbi: URL | string | Uint8Array;
}

const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** Binds the program (the bound program's proto3 JSON, as the generated module embeds it) to a new instance of the chosen module. */
export async function instantiateBound(plainProgram: Record<string, unknown>, sources: ModuleSources, options: InstantiateOptions = {}): Promise<BoundProgram> {
  const program: Program = programFromPlain(plainProgram);
  let engine = detect({ prefer: options.target ?? "auto", ...(options.probeOverride === undefined ? {} : { probeOverride: options.probeOverride }) }).engine;
  if (engine === "wasmgc") {
    const bytes = await bytesOf(sources.wasmgc);
    // The probes can pass and the module still need a feature no probe covers: then fall back, as the loader does.
    if (wasm.validate(bytes)) return bind(program, { engine, module: compileWasmGcModule(bytes) }, options);
    engine = "handle-abi";
  }
  return bind(program, { engine, module: compileHandleAbi(await bytesOf(sources.handleAbi), program) }, options);
}

async function bytesOf(source: URL | string | Uint8Array): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  const url = new URL(String(source), (globalThis as { location?: { href: string } }).location?.href);
  if (url.protocol === "file:") {
    // Node's fetch has no file: scheme; its fs is reached without a static import, so the bundle stays one for browsers too.
    const getBuiltin = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule;
    if (getBuiltin === undefined) throw new Error(`cannot read ${url.href}: file: URLs need Node >= 22.3`);
    const fs = getBuiltin("node:fs") as { readFileSync(u: URL): Uint8Array };
    return new Uint8Array(fs.readFileSync(url));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
