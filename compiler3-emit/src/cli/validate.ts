// `vm3 validate PROG`: runs ir.md §8.11 on a program in any form.
import { validate } from "../ir/validate.ts";
import type { Command } from "./io.ts";
import { Exit, isHelp, usageError } from "./io.ts";
import { readProgram } from "./read-program.ts";

export const validateCommand: Command = {
  name: "validate",
  summary: "check a program against ir.md §8.11",
  help: `usage: vm3 validate PROG

Reads PROG (IR text .ir, proto3 JSON .json or binary protobuf .pb; other
names are detected by content), runs every validator rule of ir.md §8.11 and
prints "ok", or every violation (first by rule order) on stderr, one a line:
  FILE:LINE: func NAME: bK: vN: MESSAGE     (text input)
  func NAME: bK: vN: MESSAGE                (JSON / binary input)

Exit status: 0 valid, 1 invalid or unreadable, 2 usage error.
`,
  run(args, io) {
    if (args.some(isHelp)) {
      io.out(this.help);
      return Exit.OK;
    }
    const flag = args.find((a) => a.startsWith("-"));
    if (flag !== undefined) return usageError(io, this, `unknown flag ${flag}`);
    if (args.length !== 1) return usageError(io, this, args.length === 0 ? "missing PROG" : "one PROG expected");
    const loaded = readProgram(io, args[0]!);
    if (loaded === undefined) return Exit.ERROR;
    const errors = validate(loaded.program, loaded.sourceMap === undefined ? {} : { sourceMap: loaded.sourceMap });
    if (errors.length === 0) {
      io.out("ok\n");
      return Exit.OK;
    }
    for (const e of errors) io.err(`${e.text}\n`);
    return Exit.ERROR;
  },
};
