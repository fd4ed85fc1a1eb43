// vm3's dispatcher (cli/vm3.ts) prints an error no command handled as one
// line and exits 1: left to Node, an uncaught error prints the source line
// it came from (for an error inside binaryen.js, 72 KB of minified library)
// and its stack.
import { expect, test } from "vitest";
import type { CliIo } from "../src/cli/io.ts";
import { main } from "../src/cli/vm3.ts";

test("an unhandled error is one line naming the command and the error", async () => {
  let err = "";
  const io: CliIo = {
    out: () => {},
    err: (t) => void (err += t),
    // Forced: a file reader that hands the loader something that is not bytes,
    // so that it throws a TypeError no command expects.
    readFile: () => null as unknown as Uint8Array,
    writeFile: () => {},
    replaceFile: () => {},
  };
  expect(await main(["validate", "prog.ir"], io)).toBe(1);
  expect(err).toMatch(/^vm3 validate: internal error: TypeError: [^\n]*\n$/);
});
