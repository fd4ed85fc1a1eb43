// `vm3 fmt PROG [--to text|json|binary] [-o OUT]`: converts between the three
// forms of a program (ir-text.md); the default output is canonical text.
import { IrPrintError, printText } from "../ir/text-printer.ts";
import { programToJsonText } from "../ir/json.ts";
import { programToBinary } from "../ir/binary.ts";
import type { Command } from "./io.ts";
import { Exit, isHelp, usageError } from "./io.ts";
import { readProgram } from "./read-program.ts";

const FORMS = ["text", "json", "binary"] as const;
type Form = (typeof FORMS)[number];

export const fmtCommand: Command = {
  name: "fmt",
  summary: "print a program as canonical text, proto3 JSON or binary",
  help: `usage: vm3 fmt PROG [--to text|json|binary] [-o OUT]

Reads PROG (IR text .ir, proto3 JSON .json or binary protobuf .pb; other
names are detected by content) and writes it in canonical form:
  --to text     the IR text form of ir-text.md (default)
  --to json     the proto3 JSON form of vm3.v1.Program
  --to binary   binary protobuf (needs -o)
  -o OUT        write to OUT instead of standard output
fmt does not validate; run 'vm3 validate' for that.

Exit status: 0 ok, 1 unreadable or unprintable program, 2 usage error.
`,
  run(args, io) {
    if (args.some(isHelp)) {
      io.out(this.help);
      return Exit.OK;
    }
    let to: Form = "text";
    let out: string | undefined;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--to" || a.startsWith("--to=")) {
        const v = a === "--to" ? args[++i] : a.slice(5);
        if (v === undefined) return usageError(io, this, "--to needs a value (text, json or binary)");
        if (!(FORMS as readonly string[]).includes(v)) return usageError(io, this, `--to ${v}: want text, json or binary`);
        to = v as Form;
      } else if (a === "-o") {
        out = args[++i];
        if (out === undefined) return usageError(io, this, "-o needs a file name");
      } else if (a.startsWith("-")) {
        return usageError(io, this, `unknown flag ${a}`);
      } else files.push(a);
    }
    if (files.length !== 1) return usageError(io, this, files.length === 0 ? "missing PROG" : "one PROG expected");
    if (to === "binary" && out === undefined) return usageError(io, this, "--to binary writes bytes: give -o OUT");
    const loaded = readProgram(io, files[0]!);
    if (loaded === undefined) return Exit.ERROR;
    let data: string | Uint8Array;
    try {
      data = to === "text" ? printText(loaded.program) : to === "json" ? programToJsonText(loaded.program) : programToBinary(loaded.program);
    } catch (e) {
      if (e instanceof IrPrintError) {
        io.err(`${files[0]}: ${e.message}\n`);
        return Exit.ERROR;
      }
      throw e;
    }
    if (out === undefined) io.out(data);
    else io.writeFile(out, data);
    return Exit.OK;
  },
};
