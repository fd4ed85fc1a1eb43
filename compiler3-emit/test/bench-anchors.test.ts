// The programs benchmark's hand-written anchors (compiler3-emit/bench/anchors.ts)
// compute the IR kernel's exact result: at small n, every anchor that builds
// agrees with the conformance vectors of its program and with the JS kernel,
// f64 bits included (n_body's energy order was adapted for that; see
// bench/anchors/README.md). The benchmark checks this too before it times an
// anchor; here a change to a vendored source or a driver fails fast.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ANCHORED_KERNELS, loadAnchors } from "../bench/anchors.ts";
import { JS_KERNELS } from "../bench/kernel-timing.ts";

const untimed = (work: () => void): void => work();

/** The i64 / f64Bits vectors of `program` in conformance/programs/FILE, as numbers at n. */
function vectors(file: string, program: string): { n: number; expect: number }[] {
  const suite = JSON.parse(readFileSync(new URL(`../../conformance/programs/${file}`, import.meta.url), "utf8")) as {
    programs: { program: string; args?: number[]; expect: { i64?: string | number; f64Bits?: string } }[];
  };
  return suite.programs
    .filter((v) => v.program === program && v.args?.length === 1)
    .map((v) => {
      if (v.expect.i64 !== undefined) return { n: v.args![0]!, expect: Number(v.expect.i64) };
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt(v.expect.f64Bits!));
      return { n: v.args![0]!, expect: view.getFloat64(0) };
    });
}

const PROGRAMS: Record<string, [string, string]> = {
  binary_trees: ["heap.json", "heap/binary_trees.ir"],
  lists_fill_sum: ["corpus.json", "corpus/lists_fill_sum.ir"],
  n_body: ["corpus.json", "corpus/n_body.ir"],
};

const anchors = await loadAnchors();

describe.each(ANCHORED_KERNELS)("%s anchors", (kernel) => {
  const [file, program] = PROGRAMS[kernel]!;
  const cases = vectors(file, program);

  test("has conformance vectors to check against", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(anchors.get(kernel)!.map((a) => [a.label, a] as const))("%s computes the kernel's result", (_, anchor) => {
    // The hand-written WasmGC module needs only binaryen: it must build. The
    // AssemblyScript ones need the assemblyscript devDependency, which npm ci installs.
    if ("skipped" in anchor) throw new Error(`${anchor.label} skipped: ${anchor.skipped}`);
    for (const { n, expect: want } of cases) {
      expect(Object.is(anchor.run(n, untimed), want), `n = ${n}`).toBe(true);
    }
    // One n past the vectors, against the JS kernel (the same f64 bits for n_body).
    const n = kernel === "binary_trees" ? 12 : 20_000;
    expect(Object.is(anchor.run(n, untimed), JS_KERNELS[kernel]!(n)), `n = ${n}`).toBe(true);
  });
});
