// A backend is one implementation under test, seen through the testee
// protocol's request → response function (conformance.md §6.4).
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { ProgramVector } from "../protocol/program-messages.ts";

/** The kinds of vector files (conformance.md §6): ABI vectors, golden Cells, programs. */
export type VectorKind = "abi" | "golden" | "program";

export interface Backend {
  /** The name the matrix and the report show: ts-runtime, go-host, … */
  readonly name: string;
  /** The vector kinds it runs; the matrix shows "—" for the others. */
  readonly kinds: ReadonlySet<VectorKind>;
  /**
   * Answers one request. Rejects when the backend itself failed (crashed,
   * hung, answered garbage); that is a failure of this backend on this case.
   */
  serve(request: TesteeRequest): Promise<TesteeResponse>;
  /**
   * Why this backend does not run a program vector, or undefined when it
   * does. The spec lets a backend leave some vectors out — ir.md §8.10:
   * those expecting OUT_OF_MEMORY need byte accounting — and the runner
   * reports them as skipped with this reason instead of sending them.
   * Absent: the backend runs every program vector.
   */
  skipProgram?(vector: ProgramVector): string | undefined;
  close(): Promise<void>;
}
