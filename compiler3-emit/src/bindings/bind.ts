// The typed JS API of a compiled program (bindings.md): every function of
// the program as a JS function taking and returning JS values, a
// constructor per struct shape and collection type (`$new`), and wrappers
// for heap objects (refs.ts) that can be passed back in. One instance per
// `bind`: its calls share one heap, so an object one call returns is the
// object the next call receives.
//
// Values cross as bindings.md §1's table says; a trap is thrown as a Trap
// (ts-runtime/src/trap.ts) carrying the spec's code, on both targets. Host
// functions receive wrappers for references too (never a bare HandleRef or
// engine reference), and may return them.

import { HostReentryError } from "../../../ts-runtime/src/abi-host/host-imports.ts";
import type { WasmModule as HandleModule } from "../../../ts-runtime/src/abi-host/wasm-api.ts";
import type { HeapConfig } from "../../../ts-runtime/src/heap-config.ts";
import type { Heap } from "../../../ts-runtime/src/heap.ts";
import { bindHostImports, type HostFunction } from "../../../ts-runtime/src/host-functions.ts";
import type { FullType, Program } from "../ir/model.ts";
import { Type, importResultType, resultType } from "../ir/model.ts";
import type { WasmModule as GcModule } from "../wasmgc/run.ts";
import { accessorName, bindingPlan, BINDING_PREFIX, COLLECTION_OPS, type CollectionKind, collectionKind } from "./accessors.ts";
import { Trap, TrapCode } from "../../../ts-runtime/src/trap.ts";
import { HandleCore } from "./handle-core.ts";
import { holdOf, ListRef, MapRef, ownerOf, type RefHold, type RefOwner, structClass, type StructRef, Vm3Ref } from "./refs.ts";
import type { AnyView, Engine, TargetCore } from "./target-core.ts";
import { hostCrossing } from "../wasmgc/host-glue.ts";
import { WasmGcCore } from "./wasmgc-core.ts";
import { WrapperCache } from "./wrapper-cache.ts";

export type { Engine } from "./target-core.ts";

export interface BindOptions {
  /** The host functions of the program's host imports, by name (host.md §11.5); wrappers replace references both ways. */
  host?: Readonly<Record<string, (...args: any[]) => unknown>>;
  /** The handle target's heap (default AUTO); WasmGC's heap is the engine's. */
  heap?: HeapConfig;
}

/** A compiled module of a bound program, for one target. */
export type CompiledTarget = { engine: "wasmgc"; module: GcModule } | { engine: "handle-abi"; module: HandleModule };

/** The bound program's functions by name, and `$`-named members (no IR name has a `$`). */
export interface BoundProgram {
  readonly $engine: Engine;
  /** The handle target's heap (live slots, `collect()`); undefined on WasmGC. */
  readonly $heap: Heap | undefined;
  /** Constructors: one per struct shape (its fields in order), and `listI64`, `listAny`, `f64arr`, `map` where the program uses them. */
  readonly $new: Readonly<Record<string, (...args: unknown[]) => unknown>>;
  readonly [fn: string]: unknown;
}

type Crossing = "i64" | "f64" | "bool" | "unit" | "str" | "host" | "any" | { coll: CollectionKind } | { struct: number };

/** host.md §11.3's crossing, with a reference told apart as a collection or a struct (its wrapper's class). */
function crossingOf(t: FullType): Crossing {
  const c = hostCrossing(t);
  if (c !== "ref") return c;
  if (t.type === Type.STRUCT) return { struct: t.structId };
  const coll = collectionKind(t);
  if (coll === undefined) throw new TypeError(`type ${t.type} has no binding`);
  return { coll };
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const INT48_MIN = -(1n << 47n);
const INT48_END = 1n << 47n;
const COLL_TYPE: Record<CollectionKind, string> = { li64: "list<i64>", lany: "list<any>", f64arr: "f64arr", map: "map" };
const COLL_NEW: Record<CollectionKind, string> = { li64: "listI64", lany: "listAny", f64arr: "f64arr", map: "map" };

function describe(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof Vm3Ref) return `a ${v.$type}`;
  if (typeof v === "object") return "an object";
  return typeof v === "string" ? "a string" : typeof v;
}

interface Signature {
  readonly params: readonly Crossing[];
  readonly names: readonly string[];
  readonly result: Crossing;
  /** How messages name the function: its IR name, or what an accessor does (`Obj.n`, `list<i64>.get`). */
  readonly display: string;
}

/** The display name of each accessor function (accessors.ts), for messages. */
function accessorDisplay(program: Program): Map<string, string> {
  const out = new Map<string, string>();
  program.structs.forEach((s, si) => {
    out.set(accessorName.structNew(si), `$new.${s.name}`);
    s.fields.forEach((f, fi) => {
      out.set(accessorName.get(si, fi), `${s.name}.${f.name}`);
      out.set(accessorName.set(si, fi), `${s.name}.${f.name} =`);
    });
  });
  for (const k of bindingPlan(program).collections) {
    for (const op of COLLECTION_OPS[k]) out.set(accessorName.collection(k, op), op === "new" ? `$new.${COLL_NEW[k]}` : `${COLL_TYPE[k]}.${op}`);
  }
  for (const b of ["i64", "f64", "bool", "host"] as const) out.set(accessorName.box(b), "an any");
  out.set(accessorName.unboxHost, "an any");
  return out;
}

class Binding implements RefOwner {
  readonly core: TargetCore;
  readonly #program: Program;
  readonly #sigs = new Map<string, Signature>();
  readonly #classes: (new (owner: RefOwner, hold: RefHold) => StructRef)[];
  /** The host import running now, if any: a call then is a re-entry (host.md §11.2). */
  #inside: string | undefined;
  readonly #cache = new WrapperCache();
  readonly names = { get: accessorName.get, set: accessorName.set, collection: accessorName.collection };

  constructor(program: Program, target: CompiledTarget, options: BindOptions) {
    this.#program = program;
    const display = accessorDisplay(program);
    for (const f of program.functions) {
      this.#sigs.set(f.name, {
        params: f.params.map((id) => crossingOf(f.values[id]!)),
        names: f.params.map((id) => `v${id}`),
        result: crossingOf(resultType(f)),
        display: display.get(f.name) ?? f.name,
      });
    }
    this.#classes = program.structs.map((s, i) => structClass(i, s.name, s.fields.map((f) => f.name)));
    const imports = program.hostImports ?? [];
    const user = bindHostImports(imports.map((h) => h.name), options.host ?? {});
    const fns = imports.map((h, i) => this.#hostFunction(h.name, h.params.map(crossingOf), crossingOf(importResultType(h)), user[i]!));
    this.core =
      target.engine === "wasmgc"
        ? new WasmGcCore(target.module, program, fns)
        : new HandleCore(target.module, options.heap ?? { variant: "auto" }, Object.fromEntries(imports.map((h, i) => [h.name, fns[i]!])));
  }

  invoke(name: string, args: readonly unknown[]): unknown {
    const sig = this.#sigs.get(name);
    if (sig === undefined) throw new TypeError(`the program has no function ${name}`);
    // host.md §11.2: a host function must not re-enter the program; its reads and writes through wrappers are heap operations.
    const accessor = name.startsWith(BINDING_PREFIX);
    if (this.#inside !== undefined && !accessor) throw new HostReentryError(`calling ${name}`, this.#inside);
    const where = (k: number) => `${sig.display}: argument ${k} (${sig.names[k]})`;
    if (args.length !== sig.params.length) throw new TypeError(`${sig.display} takes ${sig.params.length} argument(s), got ${args.length}`);
    let raw: unknown;
    const mark = this.core.tempMark();
    try {
      const wasmArgs = sig.params.map((t, k) => this.#in(t, args[k], where(k)));
      raw = this.#inside === undefined ? this.core.call(name, wasmArgs) : this.core.callAccessor(name, wasmArgs);
    } catch (e) {
      // A WasmGC trap names the export called; name it as the user called it.
      if (e instanceof Trap && e.op === name && sig.display !== name) throw new Trap(e.code, sig.display, e.detail);
      throw e;
    } finally {
      this.core.endCall(mark);
    }
    return this.#out(sig.result, raw);
  }

  release(hold: RefHold): void {
    this.core.release(hold);
  }

  #in(t: Crossing, v: unknown, where: string): unknown {
    switch (t) {
      case "i64":
        if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
        if (typeof v === "bigint" && v >= I64_MIN && v <= I64_MAX) return v;
        throw new TypeError(`${where}: want a bigint in the i64 range (or a safe integer) for i64, got ${typeof v === "bigint" ? v : describe(v)}`);
      case "f64":
        if (typeof v !== "number") throw new TypeError(`${where}: want a number for f64, got ${describe(v)}`);
        return v;
      case "bool":
        if (typeof v !== "boolean") throw new TypeError(`${where}: want a boolean for bool, got ${describe(v)}`);
        return v ? 1 : 0;
      case "unit":
        throw new TypeError(`${where}: unit is no parameter type`);
      case "str":
        if (v === null) return this.core.nullRef;
        if (typeof v !== "string") throw new TypeError(`${where}: want a string (or null) for str, got ${describe(v)}`);
        return this.core.strIn(v);
      case "host":
        return v === null || v === undefined ? this.core.nullRef : this.core.hostIn(v);
      case "any":
        return this.#anyIn(v, where);
    }
    if (v === null) return this.core.nullRef;
    const want = "coll" in t ? COLL_TYPE[t.coll] : `struct<${this.#program.structs[t.struct]!.name}>`;
    if (!(v instanceof Vm3Ref) || v.$type !== want) throw new TypeError(`${where}: want a ${want} (or null), got ${describe(v)}`);
    return this.core.refIn(this.#own(v, where));
  }

  #own(v: Vm3Ref, where: string): RefHold {
    if (ownerOf(v) !== this) throw new TypeError(`${where}: the ${v.$type} belongs to another instance`);
    return holdOf(v, where);
  }

  #anyIn(v: unknown, where: string): unknown {
    if (v === null || v === undefined) return this.core.nullRef;
    switch (typeof v) {
      case "bigint":
        // box.i64's check (ir.md §8.5 op 62), made here so both targets say where.
        if (v < INT48_MIN || v >= INT48_END) throw new Trap(TrapCode.INT_OVERFLOW, where, `${v} does not fit a boxed i64 (48 bits)`);
        return this.#box("i64", v);
      case "number":
        return this.#box("f64", v);
      case "boolean":
        return this.#box("bool", v ? 1 : 0);
      case "string":
        return this.core.strIn(v);
    }
    if (v instanceof Vm3Ref) return this.core.refIn(this.#own(v, where));
    return this.#box("host", this.core.hostIn(v));
  }

  #box(what: "i64" | "f64" | "bool" | "host", v: unknown): unknown {
    const name = accessorName.box(what);
    return this.#inside === undefined ? this.core.call(name, [v]) : this.core.callAccessor(name, [v]);
  }

  #out(t: Crossing, raw: unknown): unknown {
    switch (t) {
      case "i64":
      case "f64":
        return raw;
      case "bool":
        return raw === 1;
      case "unit":
        return undefined;
      case "str":
        return this.core.isNull(raw) ? null : this.core.strOut(raw);
      case "host":
        return this.core.isNull(raw) ? null : this.core.hostOut(raw);
      case "any":
        return this.#view(this.core.anyView(raw));
    }
    if (this.core.isNull(raw)) return null;
    return this.#wrap(t, raw, undefined);
  }

  /**
   * The wrapper of the object `raw` names: the one JS holds already, or a
   * new one holding `received` (a reference object a host function was
   * given, taken over) or a new hold of `raw`.
   */
  #wrap(t: { coll: CollectionKind } | { struct: number }, raw: unknown, received: unknown): Vm3Ref {
    const key = this.core.identity(raw);
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      if (received !== undefined) this.core.drop(received);
      return cached;
    }
    const hold = received === undefined ? this.core.refOut(raw) : this.core.adopt(received);
    const w = "struct" in t ? new this.#classes[t.struct]!(this, hold) : t.coll === "map" ? new MapRef(this, hold) : new ListRef(this, hold, t.coll);
    this.#cache.set(key, w);
    return w;
  }

  #view(v: AnyView): unknown {
    switch (v.kind) {
      case "null":
        return null;
      case "int":
      case "f64":
      case "bool":
        return v.value;
      case "str":
        return v.text;
      case "host":
        return v.value;
      case "coll":
        return this.#wrap({ coll: v.coll }, v.raw, v.received);
      case "struct":
        return this.#wrap({ struct: v.shape }, v.raw, v.received);
    }
  }

  /** The user's host function with references wrapped on the way in and unwrapped on the way out. */
  #hostFunction(name: string, params: readonly Crossing[], result: Crossing, fn: HostFunction): HostFunction {
    return (...received: unknown[]): unknown => {
      const args = received.map((x, k) => {
        const t = params[k]!;
        if (t === "any") return this.#view(this.core.receivedAnyView(x));
        if (typeof t === "string" || x === null) return x;
        return this.#wrap(t, this.core.rawOf(x), x);
      });
      let out: unknown;
      this.#inside = name;
      try {
        out = fn(...args);
      } finally {
        this.#inside = undefined;
      }
      if (out instanceof Vm3Ref && (result === "any" || typeof result !== "string")) {
        // Another instance's object or a released one is the host's failure: HOST_ERROR (host.md §11.3).
        return this.core.handOut(this.#own(out, `the result of host function @${name}`));
      }
      return out;
    };
  }

  /** The bound program as an object: its functions by name, `$new`, `$engine`, `$heap`. */
  exportsObject(): BoundProgram {
    const out: Record<string, unknown> = {};
    for (const f of this.#program.functions) {
      if (f.name.startsWith(BINDING_PREFIX)) continue;
      const name = f.name;
      out[name] = { [name]: (...args: unknown[]) => this.invoke(name, args) }[name];
    }
    const ctors: Record<string, (...args: unknown[]) => unknown> = {};
    this.#program.structs.forEach((s, i) => {
      ctors[s.name] = (...args: unknown[]) => this.invoke(accessorName.structNew(i), args);
    });
    for (const k of bindingPlan(this.#program).collections) ctors[COLL_NEW[k]] = () => this.invoke(accessorName.collection(k, "new"), []);
    out.$new = Object.freeze(ctors);
    out.$engine = this.core.engine;
    out.$heap = this.core.heap;
    return Object.freeze(out) as BoundProgram;
  }
}

/**
 * Binds `program` — a program with its accessors (withAccessors), the one
 * `target`'s module was emitted from with `exportAll` — to a new instance.
 * HostLinkError when a host import has no function; a trap in the module's
 * initialisation is thrown as its Trap.
 */
export function bind(program: Program, target: CompiledTarget, options: BindOptions = {}): BoundProgram {
  return new Binding(program, target, options).exportsObject();
}
