// What a module must look like to run as a handle-ABI module (handle-abi.md
// §10.1–§10.2), checked once when it is compiled, so a wrong module fails
// with a reason instead of a LinkError, a missing-export TypeError or a raw
// TypeError from a mistyped import later.
//
// The JS API shows import and export kinds but not function signatures, so
// the checks read the binary's own sections (module-sections.ts) and make
// the Go bridge's checks (go-host/bridge/bridge.go checkContract) with its
// wording: every import a known `vm3` function with its exact signature, no
// imported memory, `memory` and `vm3_init () -> ()` exported, the memory
// within the limit (memory-limit.ts). Knowing the IR program, this host also
// checks every exported entry against the IR function's types (§10.1's
// table); the Go bridge, which is not given the program at compile, checks
// an entry's signature when it is run.

import type { EntryTypes } from "./program.ts";
import { capMemoryMaximum, memoryLimitErrors } from "./memory-limit.ts";
import { type ModuleSections, ModuleSectionsError, readModuleSections, type SectionFuncType, signatureText } from "./module-sections.ts";
import { HOST_MODULE, HOST_SECTION, HostSectionError, type HostSignature, hostSignatureText, hostWasmType, readHostSection } from "./host-section.ts";
import { HandleAbiError } from "./result.ts";
import { IMPORT_SIGNATURES, type ImportSignature } from "./signatures.ts";
import { entryWasmResult } from "./entry-signature.ts";
import { wasm, type WasmModule } from "./wasm-api.ts";

const wasmResults = (type: number): string[] => {
  const w = hostWasmType({ type, elemType: 0, structId: 0 });
  return w === undefined ? [] : [w];
};
const sameTypes = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);
const typeText = (t: SectionFuncType) => signatureText(t.params, t.results);
const specResults = (s: ImportSignature) => (s.result === undefined ? [] : [s.result]);

/** Every way `sections` breaks the contract (empty when it keeps it); with `program`, the entries are checked too. */
export function handleAbiContractErrors(sections: ModuleSections, program?: EntryTypes): string[] {
  const errors: string[] = [];
  errors.push(...hostImportErrors(sections));
  for (const imp of sections.imports) {
    const where = `import ${imp.module}.${imp.name}`;
    if (imp.module === HOST_MODULE && imp.kind === "func") continue; // hostImportErrors
    if (imp.module === HOST_MODULE) errors.push(`${where}: a ${imp.kind}; host imports are functions (handle-abi.md §10.8)`);
    else if (imp.module !== "vm3") errors.push(`${where}: a handle-ABI module imports only from module vm3`);
    else if (imp.kind === "memory") errors.push(`${where}: a handle-ABI module defines and exports its own memory`);
    else if (imp.kind !== "func") errors.push(`${where}: a ${imp.kind}; the vm3 imports are functions (a handle-ABI module defines and exports its own memory)`);
    else if (!Object.hasOwn(IMPORT_SIGNATURES, imp.name)) errors.push(`${where}: no such import (handle-abi.md §10.2)`);
    else {
      const spec: ImportSignature = IMPORT_SIGNATURES[imp.name as keyof typeof IMPORT_SIGNATURES];
      if (!sameTypes(imp.type.params, spec.params) || !sameTypes(imp.type.results, specResults(spec))) {
        errors.push(`import vm3.${imp.name} has type ${typeText(imp.type)}, want ${signatureText(spec.params, specResults(spec))}`);
      }
    }
  }
  errors.push(...memoryLimitErrors(sections));
  const exports = new Map(sections.exports.map((e) => [e.name, e]));
  if (exports.get("memory")?.kind !== "memory") errors.push('no memory exported as "memory" (handle-abi.md §10.1)');
  const init = exports.get("vm3_init");
  if (init?.kind !== "func") errors.push('no function exported as "vm3_init" (handle-abi.md §10.1)');
  else {
    const t = sections.functions[init.index]!;
    if (t.params.length !== 0 || t.results.length !== 0) errors.push(`export vm3_init has type ${typeText(t)}, want () -> ()`);
  }
  for (const fn of program?.functions ?? []) {
    const e = exports.get(fn.name);
    if (e === undefined || e.kind !== "func" || fn.name === "vm3_init") continue; // not exported: not an entry of this module
    const t = sections.functions[e.index]!;
    // A bound program's module exports every function (bindings.md §2): with the
    // parameters' types known, each maps as §10.1's table says; an entry's are i64.
    const values = fn.values;
    const results = values === undefined ? entryWasmResult(fn.result) : wasmResults(fn.result);
    if (results === undefined) {
      errors.push(`export ${fn.name}: the IR function's result type ${fn.result} cannot be an entry's (ir.md §8.9), but the module exports it`);
      continue;
    }
    const params = fn.params.map((id) => (values === undefined ? "i64" : (hostWasmType({ type: values[id as number]!.type, elemType: 0, structId: 0 }) ?? "i64")));
    if (!sameTypes(t.params, params) || !sameTypes(t.results, results)) {
      errors.push(`export ${fn.name} has type ${typeText(t)}, want ${signatureText(params, results)} (the IR function's, handle-abi.md §10.1)`);
    }
  }
  return errors;
}

/**
 * The `vm3.host` section (handle-abi.md §10.8) read from `sections`: the IR
 * signatures of the module's `host` imports in import order, or the reason
 * it cannot be (a string); [] for a module with neither.
 */
export function hostSignatures(sections: ModuleSections): HostSignature[] | string {
  const found = sections.customs.filter((c) => c.name === HOST_SECTION);
  const first = sections.imports.find((i) => i.module === HOST_MODULE && i.kind === "func");
  if (found.length === 0) {
    return first === undefined ? [] : `import host.${first.name}: no ${HOST_SECTION} custom section describes the module's host imports (handle-abi.md §10.8)`;
  }
  if (found.length > 1) return `${found.length} ${HOST_SECTION} custom sections; a module has at most one (handle-abi.md §10.8)`;
  try {
    return readHostSection(found[0]!.bytes);
  } catch (e) {
    if (e instanceof HostSectionError) return e.message;
    throw e;
  }
}

/** Every way the module's `host` imports and its `vm3.host` section disagree (handle-abi.md §10.8). */
export function hostImportErrors(sections: ModuleSections): string[] {
  const sigs = hostSignatures(sections);
  if (typeof sigs === "string") return [sigs];
  const imports = sections.imports.filter((i) => i.module === HOST_MODULE && i.kind === "func");
  const errors: string[] = [];
  const n = Math.max(imports.length, sigs.length);
  for (let i = 0; i < n; i++) {
    const imp = imports[i];
    const sig = sigs[i];
    if (imp === undefined) {
      errors.push(`${HOST_SECTION} entry ${i} describes host.${sig!.name}, but the module has only ${imports.length} host import(s)`);
      continue;
    }
    const where = `import host.${imp.name}`;
    if (sig === undefined) {
      errors.push(`${where}: the ${HOST_SECTION} section describes only ${sigs.length} host import(s) (handle-abi.md §10.8)`);
      continue;
    }
    if (sig.name !== imp.name) {
      errors.push(`${where}: host import ${i}, but ${HOST_SECTION} entry ${i} is ${sig.name} (the section lists the host imports in import order, handle-abi.md §10.8)`);
      continue;
    }
    const params = sig.params.map((t) => hostWasmType(t)!);
    const r = hostWasmType(sig.result);
    const results = r === undefined ? [] : [r];
    if (imp.kind === "func" && (!sameTypes(imp.type.params, params) || !sameTypes(imp.type.results, results))) {
      errors.push(`${where} has type ${typeText(imp.type)}, want ${signatureText(params, results)} (${HOST_SECTION} declares ${hostSignatureText(sig)})`);
    }
  }
  return errors;
}

/**
 * Compiles `binary` and checks the contract (with `program`, its entries
 * too): a binary the engine rejects, a malformed section or a broken
 * contract is a HandleAbiError with the reason. The module compiled is
 * `binary` with its memory's maximum capped at the limit (memory-limit.ts).
 */
export function compileHandleAbi(binary: Uint8Array, program?: EntryTypes): WasmModule {
  const compile = (bytes: Uint8Array): WasmModule => {
    try {
      return new wasm.Module(bytes);
    } catch (e) {
      throw new HandleAbiError(`invalid WebAssembly module: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  // The engine first: for a binary that is not valid Wasm its reason is the better one.
  const module = compile(binary);
  let sections: ModuleSections;
  try {
    sections = readModuleSections(binary);
  } catch (e) {
    if (e instanceof ModuleSectionsError) throw new HandleAbiError(`invalid WebAssembly module: ${e.message}`, { cause: e });
    throw e;
  }
  const errors = handleAbiContractErrors(sections, program);
  if (errors.length > 0) throw new HandleAbiError(`not a handle-ABI module: ${errors.join("; ")}`);
  const capped = capMemoryMaximum(binary, sections);
  return capped === binary ? module : compile(capped);
}
