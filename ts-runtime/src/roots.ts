// The scope root stack (collection.md §4.2): V8's HandleScope, strictly nested.
import type { Cell } from "./cell.ts";

export class RootStack {
  /** Every rooted Cell, innermost scope's last. */
  readonly cells: Cell[] = [];
  /** For each open scope, the height of `cells` when it opened. */
  readonly heights: number[] = [];

  /** Opens a scope; → its mark, the number of scopes open after opening. */
  enter(): number {
    this.heights.push(this.cells.length);
    return this.heights.length;
  }

  /** The number of scopes open. */
  get depth(): number {
    return this.heights.length;
  }

  push(c: Cell): void {
    this.cells.push(c);
  }

  /** Closes the innermost scope, dropping the roots it pushed. The caller checked the mark. */
  exit(): void {
    this.cells.length = this.heights.pop()!;
  }
}
