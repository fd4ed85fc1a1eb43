// The README's TypeScript example (ts-runtime/test/examples.test.ts runs it).
import { cellFromInt, HandleRef, Heap, Trap, TrapCode } from "../src/index.ts";

const heap = new Heap({ variant: "auto" });
const list = heap.listNew(0);
heap.listPush(list, cellFromInt(42));
try {
  heap.listGet(list, 7);
} catch (e) {
  if (e instanceof Trap && e.code === TrapCode.OUT_OF_BOUNDS) console.log(e.message);
}
{
  using kept = new HandleRef(heap, list); // pinned until the block ends
  console.log(heap.collect()); // 0: the list is a root
}
console.log(heap.collect()); // 1: released, unreachable, freed
try {
  heap.listLen(list);
} catch (e) {
  if (e instanceof Trap) console.log(e.message);
}

