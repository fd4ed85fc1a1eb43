// The scope root stack (collection.md §4.2): V8's HandleScope, strictly nested.
import type { Cell } from "./cell.ts";

/** collection.md §4.2: the most open scopes. */
export const MAX_SCOPES = 2 ** 20;
/** collection.md §4.2: the most Cells on the root stack. */
export const MAX_SCOPE_ROOTS = 2 ** 22;

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
