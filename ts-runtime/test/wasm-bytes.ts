// A minimal WebAssembly binary writer for hand-written test modules whose
// bytes must be exact (hostile-modules.ts): the sections a handle-ABI module
// has (type, import, function, memory, global, export, start, code), written
// as the binary format gives them, with nothing checked — a test may write a
// module no engine accepts.

export type ValType = "i32" | "i64" | "f32" | "f64";

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

/** Unsigned LEB128. */
export function uleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

/** Signed LEB128. */
export function sleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface ModuleRecipe {
  types: FuncType[];
  /** Function imports: module, name, type index. */
  imports?: { module: string; name: string; type: number }[];
  /** Defined functions: type index and body (instructions without the final `end`; no locals unless given). */
  funcs?: { type: number; locals?: readonly ValType[]; body: readonly number[] }[];
  /** One memory's limits in pages. */
  memory?: { min: number; max?: number };
  exports?: { name: string; kind: "func" | "memory"; index: number }[];
  start?: number;
}

export function funcType(t: FuncType): number[] {
  return [0x60, ...vec(t.params.map((p) => [VALTYPE[p]])), ...vec(t.results.map((r) => [VALTYPE[r]]))];
}

/** The module's bytes, sections in the binary format's order. */
export function wasmModule(r: ModuleRecipe): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  out.push(...section(1, vec(r.types.map(funcType))));
  if (r.imports?.length) out.push(...section(2, vec(r.imports.map((i) => [...name(i.module), ...name(i.name), 0x00, ...uleb(i.type)]))));
  const funcs = r.funcs ?? [];
  if (funcs.length) out.push(...section(3, vec(funcs.map((f) => uleb(f.type)))));
  if (r.memory !== undefined) {
    const m = r.memory;
    out.push(...section(5, vec([m.max === undefined ? [0x00, ...uleb(m.min)] : [0x01, ...uleb(m.min), ...uleb(m.max)]])));
  }
  if (r.exports?.length) out.push(...section(7, vec(r.exports.map((e) => [...name(e.name), e.kind === "func" ? 0x00 : 0x02, ...uleb(e.index)]))));
  if (r.start !== undefined) out.push(...section(8, uleb(r.start)));
  if (funcs.length) {
    out.push(...section(10, vec(funcs.map((f) => {
      const locals = (f.locals ?? []).map((t) => [0x01, VALTYPE[t]]);
      const body = [...vec(locals), ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    }))));
  }
  return new Uint8Array(out);
}

/** Instructions used by the recipes. */
export const op = {
  i32: (n: number) => [0x41, ...sleb(n)],
  i64: (n: number | bigint) => [0x42, ...sleb(n)],
  call: (f: number) => [0x10, ...uleb(f)],
  drop: [0x1a],
  memoryGrow: [0x40, 0x00],
  i64ExtendI32S: [0xac],
  /** `loop br 0 end`: runs forever. */
  forever: [0x03, 0x40, 0x0c, 0x00, 0x0b],
};
