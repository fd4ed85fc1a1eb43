// The slice of the WebAssembly JS API the handle-ABI host uses. The project
// compiles without lib "dom", where the WebAssembly declarations live.

export interface WasmModule {
  readonly __brand: "WebAssembly.Module";
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export interface ModuleImportDescriptor {
  module: string;
  name: string;
  kind: string;
}

export interface ModuleExportDescriptor {
  name: string;
  kind: string;
}

interface WasmApi {
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): ModuleImportDescriptor[];
    exports(module: WasmModule): ModuleExportDescriptor[];
    customSections(module: WasmModule, name: string): ArrayBuffer[];
  };
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory & { grow(pages: number): number };
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
