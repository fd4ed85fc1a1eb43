// The typed JS API (bindings.md) on both targets, in this process: the
// program's functions called with JS values, struct wrappers with typed
// fields, lists, maps and `any`, host functions that take and return
// wrappers, traps as Trap with the spec's code, and wrappers released and
// collected on the handle target.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { withAccessors } from "../src/bindings/accessors.ts";
import { bind, type BindOptions, type BoundProgram, type Engine } from "../src/bindings/bind.ts";
import { compileHandleAbi } from "../../ts-runtime/src/abi-host/contract.ts";
import { moduleDtsText } from "../src/bindings/module-file.ts";
import { emitHandleAbi } from "../src/handleabi/emit.ts";
import type { Program } from "../src/ir/model.ts";
import { parseText } from "../src/ir/text-parser.ts";
import { emitWasmGc } from "../src/wasmgc/emit.ts";
import { compileWasmGcModule } from "../src/wasmgc/run.ts";
import { Trap, TrapCode } from "../../ts-runtime/src/trap.ts";
import { HostLinkError } from "../../ts-runtime/src/host-functions.ts";

const source = readFileSync(new URL("./fixtures/bindings/shapes.ir", import.meta.url), "utf8");
const bound = withAccessors(parseText(source, "shapes.ir").program);
const modules = { wasmgc: emitWasmGc(bound, { exportAll: true, optimize: true }), handleAbi: emitHandleAbi(bound, { exportAll: true, optimize: true }) };

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function instance(engine: Engine, options: BindOptions = {}, program: Program = bound, bins = modules): Any {
  const host = { visit: (n: Any) => n.value, pick: (a: Any, b: Any) => (a === null ? b : a), ...options.host };
  return bind(program, engine === "wasmgc" ? { engine, module: compileWasmGcModule(bins.wasmgc) } : { engine, module: compileHandleAbi(bins.handleAbi, program) }, { ...options, host });
}

function trapOf(f: () => unknown): Trap {
  try {
    f();
  } catch (e) {
    if (e instanceof Trap) return e;
    throw e;
  }
  throw new Error("expected a trap");
}

describe.each(["wasmgc", "handle-abi"] as const)("bindings on %s", (engine) => {
  test("functions take and return JS values; numbers that are safe integers pass as i64", () => {
    const m = instance(engine);
    expect(m.$engine).toBe(engine);
    expect(m.double(21n)).toBe(42n);
    expect(m.double(21)).toBe(42n);
    expect(m.double(-(1n << 62n))).toBe(-(1n << 63n));
    expect(m.greet("vm3")).toBe("hello, vm3");
    expect(m.greet("é✓")).toBe("hello, é✓");
    expect(() => m.double(1.5)).toThrow(/double: argument 0 \(v0\): want a bigint .* got number/);
    expect(() => m.double(1n << 63n)).toThrow(/i64 range/);
    expect(() => m.double()).toThrow(/double takes 1 argument\(s\), got 0/);
    expect(() => m.greet(5)).toThrow(/greet: argument 0 \(v0\): want a string/);
  });

  test("struct wrappers: constructors, typed fields, passing them back in", () => {
    const m = instance(engine);
    const p = m.$new.Point(3, 4, "p");
    expect(p.$type).toBe("struct<Point>");
    expect([p.x, p.y, p.label]).toEqual([3, 4, "p"]);
    expect(m.norm(p)).toBe(5);
    p.x = 6;
    p.y = 8;
    p.label = null;
    expect([m.norm(p), p.label]).toEqual([10, null]);
    const list = m.cons(1n, m.cons(2n, m.cons(3n, null)));
    expect(m.length(list)).toBe(3n);
    expect(list.next.next.value).toBe(3n);
    expect(list.next.next.next).toBeNull();
    // One wrapper per object while JS holds it: identity, Map keys and Sets work.
    expect(list.next).toBe(list.next);
    expect(new Set([list.next, list.next, list]).size).toBe(2);
    list.next.tag = { js: "object" };
    expect(list.next.tag).toEqual({ js: "object" });
    list.on = true;
    expect(list.on).toBe(true);
    expect(() => m.norm(list)).toThrow(/norm: argument 0 \(v0\): want a struct<Point> \(or null\), got a struct<Node>/);
    expect(() => (p.x = 1n)).toThrow(/Point\.x =: argument 1 \(v1\): want a number for f64/);
  });

  test("lists, f64 arrays and maps", () => {
    const m = instance(engine);
    const xs = m.$new.listI64();
    for (let i = 1; i <= 10; i++) xs.push(i);
    expect(xs.length).toBe(10);
    expect(m.sum(xs)).toBe(55n);
    xs.set(0, 100n);
    expect([...xs].slice(0, 2)).toEqual([100n, 2n]);
    const fs = m.$new.f64arr();
    fs.push(1.5);
    fs.push(-2);
    m.scale(fs, 2);
    expect(fs.toArray()).toEqual([3, -4]);
    const counts = m.$new.map();
    for (const k of [5n, 7n, 5n, 5n]) m.count(counts, k);
    expect([counts.size, counts.get(5n), counts.get(7), counts.has(9n)]).toEqual([2, 3n, 1n, false]);
  });

  test("any: every kind goes in and comes back as it went", () => {
    const m = instance(engine);
    const node = m.cons(1n, null);
    const host = { any: "object" };
    const values: unknown[] = [7n, -(1n << 47n), 2.5, true, false, null, "text", host, node, m.$new.listI64()];
    for (const v of values) {
      const items = m.$new.listAny();
      items.push(v);
      const got = m.first(items);
      if (v !== null && typeof v === "object" && "$type" in v) expect(got.$type).toBe((v as Any).$type);
      else expect(got).toEqual(v);
    }
    const items = node.items;
    items.push(node);
    expect(m.first(items).value).toBe(1n);
    expect(trapOf(() => items.push(1n << 47n)).code).toBe(TrapCode.INT_OVERFLOW);
  });

  test("traps are Traps with the spec's code, named as the user called them", () => {
    const m = instance(engine);
    const xs = m.$new.listI64();
    const t = trapOf(() => xs.get(3));
    expect(t.code).toBe(TrapCode.OUT_OF_BOUNDS);
    expect(trapOf(() => m.norm(null)).code).toBe(TrapCode.NULL_DEREF);
    if (engine === "wasmgc") expect(t.op).toBe("list<i64>.get");
    // The instance is still usable after a trap.
    xs.push(4n);
    expect(xs.get(0)).toBe(4n);
  });

  test("host functions receive wrappers and may return them; re-entry is refused as HOST_ERROR", () => {
    let seen: Any;
    const m = instance(engine, {
      host: {
        visit(n: Any) {
          seen = n;
          return 7n;
        },
      },
    });
    const a = m.cons(1n, null);
    const b = m.cons(2n, null);
    expect(m.visit(a)).toBe(7n);
    expect(seen).toBe(a);
    expect(m.length(seen)).toBe(1n); // the wrapper the host kept works outside the call
    expect(m.pick(null, b).value).toBe(2n);
    expect(m.pick(a, b)).toBe(a);
    // Reads, writes and constructors through wrappers are heap operations a host function may make.
    const reads = instance(engine, {
      host: {
        visit(n: Any) {
          n.value = n.value + 1n;
          n.items.push(reads.$new.Point(1, 1, "inside"));
          return n.items.get(0).x === 1 ? n.value : -1n;
        },
      },
    });
    const c = reads.cons(41n, null);
    expect(reads.visit(c)).toBe(42n);
    expect([c.value, c.items.get(0).label]).toEqual([42n, "inside"]);
    // Calling a program function from a host function re-enters the program: refused.
    let reenter: Any;
    reenter = instance(engine, { host: { visit: () => reenter.double(1n) } });
    const t = trapOf(() => reenter.visit(reenter.cons(1n, null)));
    expect(t.code).toBe(TrapCode.HOST_ERROR);
    expect(t.message).toMatch(/must not re-enter .*host\.md §11\.2/);
    const other = instance(engine);
    expect(() => m.length(other.cons(1n, null))).toThrow(/belongs to another instance/);
    const t2 = trapOf(() => instance(engine, { host: { pick: () => other.cons(9n, null) } }).pick(null, null));
    expect(t2.code).toBe(TrapCode.HOST_ERROR);
  });

  test("a released wrapper cannot be used or passed in; a missing host function refuses the bind", () => {
    const m = instance(engine);
    const a = m.cons(1n, null);
    a.$release();
    expect(a.$released).toBe(true);
    expect(() => a.value).toThrow(/the struct<Node> was released/);
    expect(() => m.length(a)).toThrow(/length: argument 0 \(v0\): the struct<Node> was released/);
    a.$release(); // a second release does nothing
    const inner = m.cons(5n, null);
    const outer = m.cons(6n, inner);
    inner.$release();
    // The object lives on (outer holds it); reading it again gives a new wrapper.
    const again = outer.next;
    expect(again).not.toBe(inner);
    expect([again.$released, again.value]).toEqual([false, 5n]);
    const target = engine === "wasmgc" ? { engine, module: compileWasmGcModule(modules.wasmgc) } : { engine, module: compileHandleAbi(modules.handleAbi, bound) };
    expect(() => bind(bound, target as Any, { host: { visit: () => 0n } })).toThrow(HostLinkError);
  });
});

describe("bindings on the handle target hold pins", () => {
  test("a returned object is pinned until released (using / $release); then the heap frees it", () => {
    const m: BoundProgram & Any = instance("handle-abi", { heap: { variant: "auto" } });
    const heap = m.$heap!;
    heap.collect();
    const base = heap.liveSlots();
    let kept: Any;
    {
      using inner = m.cons(2n, null);
      using list = m.cons(1n, inner);
      kept = list;
      heap.collect();
      expect(heap.liveSlots()).toBe(base + 4); // two Nodes and their two item lists
    }
    expect(kept.$released).toBe(true);
    heap.collect();
    expect(heap.liveSlots()).toBe(base);
    // A wrapper that is never released pins its object until JS collects it (the FinalizationRegistry).
    const held = m.cons(3n, null);
    heap.collect();
    expect(heap.liveSlots()).toBe(base + 2);
    held.$release();
    // A trap leaves no frame open behind it: what the trapped call rooted is freed.
    expect(trapOf(() => m.boom(5n)).code).toBe(TrapCode.OUT_OF_BOUNDS);
    heap.collect();
    expect(heap.liveSlots()).toBe(base);
    expect(m.boom(0n)).toBe(1n);
  });

  test("a program that uses a reserved name, or a struct named as the module's own types, cannot be bound", () => {
    const clash = parseText("entry @__vm3_x\nfunc __vm3_x() -> i64 {\nb0:\n  v0 = const.i64 1\n  return v0\n}\n", "x.ir").program;
    expect(() => withAccessors(clash)).toThrow(/func __vm3_x: names starting with __vm3_ are reserved/);
    const host = withAccessors(parseText("entry @f\nstruct Host { a: i64 }\nfunc f() -> i64 {\nb0:\n  v0 = const.i64 1\n  return v0\n}\n", "h.ir").program);
    expect(() => moduleDtsText(host, "h.ir")).toThrow(/struct Host: the generated module declares Host itself/);
  });
});
