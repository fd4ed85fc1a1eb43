// Running an emitted WasmGC module in the host JS engine with the `vm3`
// imports: the trap channel throws a Vm3Trap carrying the spec's code, so a
// caller (tests, the conformance backend) compares codes, not engine messages.

/** What the `vm3.trap` import throws. */
export class Vm3Trap extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`vm3 trap ${code}`);
    this.name = "Vm3Trap";
    this.code = code;
  }
}

/** The imports every emitted module needs. */
export function vm3Imports(): { vm3: { trap(code: number): never } } {
  return {
    vm3: {
      trap(code: number): never {
        throw new Vm3Trap(code);
      },
    },
  };
}

// The project compiles without lib "dom", where the WebAssembly declarations
// live; this is the slice of the JS API used here.
interface WasmJsApi {
  validate(bytes: Uint8Array): boolean;
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmJsApi }).WebAssembly;

/** Whether the engine accepts the binary (WasmGC needs Node >= 24 here). */
export function engineValidates(binary: Uint8Array): boolean {
  return wasm.validate(binary);
}

/** Instantiates `binary` with the vm3 imports (and any extra modules) and returns its exports. */
export async function instantiateWasmGc(
  binary: Uint8Array,
  extra: Record<string, Record<string, unknown>> = {},
): Promise<Record<string, unknown>> {
  // Merge per namespace: `extra.vm3` adds to the trap import, never replaces it.
  const base = vm3Imports();
  const { instance } = await wasm.instantiate(binary, { ...extra, vm3: { ...extra.vm3, ...base.vm3 } });
  return instance.exports;
}

/** The vm3 trap code `call` raised; rethrows any other error, and throws if it returned. */
export function trapCodeOf(call: () => unknown): number {
  try {
    call();
  } catch (e) {
    if (e instanceof Vm3Trap) return e.code;
    throw e;
  }
  throw new Error("expected a vm3 trap, the call returned");
}
