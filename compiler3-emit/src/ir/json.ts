// Program ↔ proto3 JSON (ir-text.md: the other interchange form). Input is
// strict: conformance/protocol/strict-json.ts checks every key, type, enum
// name and int64 against ir.proto and errors name the JSON path (and file).
// Output is canonical proto3 JSON: lowerCamelCase keys, enums by name, `const`
// as a decimal string, fields at their default value omitted. The
// schema-free half (plain form ↔ Program) is json-plain.ts, which the browser
// loader bundles without protobufjs.
import type { Program } from "./model.ts";
import { IrParseError } from "./errors.ts";
import { irMessageType } from "./schema.ts";
import { SchemaError, fromStrictJson } from "../../../conformance/protocol/strict-json.ts";
import { programFromPlain } from "./json-plain.ts";

export { programFromPlain, programToJson, programToJsonText } from "./json-plain.ts";

type Plain = Record<string, unknown>;

/** Parses proto3 JSON text as a Program; throws IrParseError naming FILE: $.path. */
export function programFromJsonText(text: string, file = "<input>"): Program {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new IrParseError({ file }, `not JSON: ${(e as Error).message}`);
  }
  return programFromJson(json, file);
}

/** Converts parsed JSON (strict proto3 JSON of vm3.v1.Program) to a Program. */
export function programFromJson(json: unknown, file = "<input>"): Program {
  let plain: Plain;
  try {
    plain = fromStrictJson(irMessageType("Program"), json);
  } catch (e) {
    if (e instanceof SchemaError) throw new IrParseError({ file }, e.message);
    throw e;
  }
  return programFromPlain(plain);
}
