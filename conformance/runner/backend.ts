// A backend is one implementation under test, seen through the testee
// protocol's request → response function (conformance.md §6.4).
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";

export interface Backend {
  /** The name the matrix and the report show: ts-runtime, go-host, … */
  readonly name: string;
  /**
   * Answers one request. Rejects when the backend itself failed (crashed,
   * hung, answered garbage); that is a failure of this backend on this case.
   */
  serve(request: TesteeRequest): Promise<TesteeResponse>;
  close(): Promise<void>;
}
