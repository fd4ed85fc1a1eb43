// Hand-written handle-ABI test modules: WebAssembly text assembled by binaryen.
import binaryen from "binaryen";

/** The binary of a WAT module (MVP features plus sign extension); throws if binaryen rejects it. */
export function wat(text: string): Uint8Array {
  const module = binaryen.parseText(text);
  try {
    module.setFeatures(binaryen.Features.SignExt | binaryen.Features.MutableGlobals);
    if (!module.validate()) throw new Error("binaryen: the test module does not validate");
    return module.emitBinary();
  } finally {
    module.dispose();
  }
}
