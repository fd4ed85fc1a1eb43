// Reading a program file in any of its three forms (ir-text.md: text, proto3
// JSON, binary protobuf), detected by extension (.ir, .json, .pb/.binpb) or,
// failing that, by content.
import type { Program } from "./model.ts";
import type { SourceMap } from "./errors.ts";
import { parseText } from "./text-parser.ts";
import { programFromJsonText } from "./json.ts";
import { programFromBinary } from "./binary.ts";

export type ProgramForm = "text" | "json" | "binary";

export interface LoadedProgram {
  program: Program;
  form: ProgramForm;
  /** Present for text input: validator messages then carry FILE:LINE. */
  sourceMap?: SourceMap;
}

export function detectForm(file: string, bytes: Uint8Array): ProgramForm {
  if (/\.ir$/i.test(file)) return "text";
  if (/\.json$/i.test(file)) return "json";
  if (/\.(pb|binpb)$/i.test(file)) return "binary";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "binary";
  }
  if (text.includes("\u0000")) return "binary";
  return text.trimStart().startsWith("{") ? "json" : "text";
}

/** Parses `bytes` (the contents of `file`); throws IrParseError. */
export function loadProgram(file: string, bytes: Uint8Array, form = detectForm(file, bytes)): LoadedProgram {
  switch (form) {
    case "text": {
      const { program, sourceMap } = parseText(new TextDecoder().decode(bytes), file);
      return { program, form, sourceMap };
    }
    case "json":
      return { program: programFromJsonText(new TextDecoder().decode(bytes), file), form };
    case "binary":
      return { program: programFromBinary(bytes, file), form };
  }
}
