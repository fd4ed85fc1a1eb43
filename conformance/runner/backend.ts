// A backend is one implementation under test, seen through the testee
// protocol's request → response function (conformance.md §6.4).
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";

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
  close(): Promise<void>;
}
