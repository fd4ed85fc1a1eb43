// Program ↔ binary protobuf (the third interchange form, ir-text.md), through
// protobufjs and ir.proto. The canonical JSON object is protobufjs-ready
// (enum names, int64 as decimal strings), so encoding goes through it.
import { IrParseError } from "./errors.ts";
import type { Program } from "./model.ts";
import { programFromPlain, programToJson } from "./json.ts";
import { irMessageType } from "./schema.ts";

export function programToBinary(p: Program): Uint8Array {
  const type = irMessageType("Program");
  return type.encode(type.fromObject(programToJson(p))).finish();
}

export function programFromBinary(bytes: Uint8Array, file = "<input>"): Program {
  const type = irMessageType("Program");
  let object: Record<string, unknown>;
  try {
    object = type.toObject(type.decode(bytes), { longs: String, enums: String }) as Record<string, unknown>;
  } catch (e) {
    throw new IrParseError({ file }, `not a binary vm3.v1.Program: ${(e as Error).message}`);
  }
  return programFromPlain(object);
}
