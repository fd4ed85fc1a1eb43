// What a module must look like to run as a handle-ABI module (handle-abi.md
// §10.1–§10.2), checked once when it is compiled, so a wrong module fails
// with a reason instead of a LinkError or a missing-export TypeError later.
//
// The JS API shows import and export kinds but not function signatures, so
// an import's signature is not checked here (the engine converts arguments
// and results by the module's declared types; a module that declares the
// wrong ones gets wrong values, which is the module's bug). The Go bridge,
// which can see signatures, checks them too.

import { HandleAbiError } from "./result.ts";
import { IMPORT_SIGNATURES } from "./signatures.ts";
import { wasm, type WasmModule } from "./wasm-api.ts";

/** Throws a HandleAbiError naming every way `module` breaks the contract. */
export function checkHandleAbiContract(module: WasmModule): void {
  const errors: string[] = [];
  for (const imp of wasm.Module.imports(module)) {
    const where = `import ${imp.module}.${imp.name}`;
    if (imp.module !== "vm3") errors.push(`${where}: a handle-ABI module imports only from module vm3`);
    else if (imp.kind !== "function") errors.push(`${where}: a ${imp.kind}; the vm3 imports are functions (a handle-ABI module defines and exports its own memory)`);
    else if (!Object.hasOwn(IMPORT_SIGNATURES, imp.name)) errors.push(`${where}: no such import (handle-abi.md §10.2)`);
  }
  const exports = new Map(wasm.Module.exports(module).map((e) => [e.name, e.kind]));
  if (exports.get("memory") !== "memory") errors.push('no memory exported as "memory" (handle-abi.md §10.1)');
  if (exports.get("vm3_init") !== "function") errors.push('no function exported as "vm3_init" (handle-abi.md §10.1)');
  if (errors.length > 0) throw new HandleAbiError(`not a handle-ABI module: ${errors.join("; ")}`);
}

/** Compiles `binary` and checks the contract; a binary the engine rejects is a HandleAbiError with the engine's reason. */
export function compileHandleAbi(binary: Uint8Array): WasmModule {
  let module: WasmModule;
  try {
    module = new wasm.Module(binary);
  } catch (e) {
    throw new HandleAbiError(`invalid WebAssembly module: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  checkHandleAbiContract(module);
  return module;
}
