// A strict reader of the parts of a WebAssembly binary that the JS API does
// not show and the handle-ABI contract needs (handle-abi.md §10.1): the
// function types, the imports with their types, the defined functions'
// types, the memory limits, the exports and the start function. Everything
// else is skipped by its section size.
//
// It reads only the binary format of Wasm 2.0 (the core spec, §5), and any
// byte that does not fit it — a truncated or over-long LEB128, a section
// running past its end or past the module, a section read short, a form or
// kind Wasm 2.0 does not have, an index out of range — is a
// ModuleSectionsError naming its byte offset, never an exception from deep
// inside. (The engine validates the module as well; this reader must not
// trust that it ran first.)

/** A malformed binary: `offset` is the byte at which reading failed. */
export class ModuleSectionsError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(`malformed WebAssembly module at byte offset ${offset}: ${message}`);
    this.name = "ModuleSectionsError";
    this.offset = offset;
  }
}

/** A Wasm 2.0 value type, by its text-format name. */
export type SectionValType = "i32" | "i64" | "f32" | "f64" | "v128" | "funcref" | "externref";

export interface SectionFuncType {
  readonly params: readonly SectionValType[];
  readonly results: readonly SectionValType[];
}

export interface SectionLimits {
  readonly min: number;
  /** Absent when the module declares none. */
  readonly max?: number;
}

export type SectionImport =
  | { readonly module: string; readonly name: string; readonly kind: "func"; readonly type: SectionFuncType }
  | { readonly module: string; readonly name: string; readonly kind: "table" | "global" }
  | { readonly module: string; readonly name: string; readonly kind: "memory"; readonly limits: SectionLimits };

export interface SectionExport {
  readonly name: string;
  readonly kind: "func" | "table" | "memory" | "global";
  readonly index: number;
}

/** A defined memory. */
export interface SectionMemory {
  readonly limits: SectionLimits;
}

/** A custom section (id 0): its name and its payload's byte range [start, end) in the binary. */
export interface SectionCustom {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** The payload (a view of the binary). */
  readonly bytes: Uint8Array;
}

export interface ModuleSections {
  readonly types: readonly SectionFuncType[];
  readonly imports: readonly SectionImport[];
  /** The function index space: imported functions' types, then defined functions'. */
  readonly functions: readonly SectionFuncType[];
  /** Defined memories (not imported ones). */
  readonly memories: readonly SectionMemory[];
  readonly exports: readonly SectionExport[];
  /** The start function's index, if any. */
  readonly start?: number;
  /** The custom sections whose name is well-formed, in binary order. */
  readonly customs: readonly SectionCustom[];
  /** The memory section's byte range [start, end) including its id and size, if there is one. */
  readonly memorySection?: { readonly start: number; readonly end: number };
}

const VALTYPES: ReadonlyMap<number, SectionValType> = new Map([
  [0x7f, "i32"], [0x7e, "i64"], [0x7d, "f32"], [0x7c, "f64"], [0x7b, "v128"], [0x70, "funcref"], [0x6f, "externref"],
]);

/** The known section ids in the order the binary format requires (0, custom, may appear anywhere). */
const SECTION_ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];
const SECTION_NAMES: Record<number, string> = {
  1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "data count",
};
const KINDS = ["func", "table", "memory", "global"] as const;

class Reader {
  readonly bytes: Uint8Array;
  readonly end: number;
  pos: number;
  constructor(bytes: Uint8Array, start: number, end: number) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  fail(message: string, at = this.pos): never {
    throw new ModuleSectionsError(at, message);
  }

  byte(what: string): number {
    if (this.pos >= this.end) this.fail(`${what}: unexpected end`);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128 of at most `bits` bits (32: at most 5 bytes, the unused high bits zero). */
  u32(what: string): number {
    const at = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte(what);
      if (i === 4 && (b & 0x70) !== 0) this.fail(`${what}: LEB128 u32 out of range`, at);
      result += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) return result;
    }
    return this.fail(`${what}: LEB128 u32 longer than 5 bytes`, at);
  }

  name(what: string): string {
    const len = this.u32(`${what} length`);
    const at = this.pos;
    if (len > this.end - this.pos) this.fail(`${what}: ${len} bytes run past the end`, at);
    const raw = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(raw);
    } catch {
      return this.fail(`${what}: not UTF-8`, at);
    }
  }

  valType(what: string): SectionValType {
    const at = this.pos;
    const b = this.byte(what);
    return VALTYPES.get(b) ?? this.fail(`${what}: 0x${b.toString(16)} is not a Wasm 2.0 value type`, at);
  }

  limits(what: string): SectionLimits {
    const at = this.pos;
    const flags = this.byte(`${what} flags`);
    if (flags > 1) this.fail(`${what}: limits flags 0x${flags.toString(16)} (shared or 64-bit memory) are not Wasm 2.0`, at);
    const min = this.u32(`${what} minimum`);
    if (flags === 0) return { min };
    const max = this.u32(`${what} maximum`);
    return { min, max };
  }

  count(what: string, minBytesEach: number): number {
    const at = this.pos;
    const n = this.u32(`${what} count`);
    // Each entry takes at least minBytesEach bytes: a count the section cannot hold is malformed now, not after n steps.
    if (n * minBytesEach > this.end - this.pos) this.fail(`${what} count ${n} does not fit the ${this.end - this.pos} bytes left`, at);
    return n;
  }
}

/** Reads `bytes` (a whole module binary). Throws ModuleSectionsError on anything malformed. */
export function readModuleSections(bytes: Uint8Array): ModuleSections {
  const r = new Reader(bytes, 0, bytes.length);
  if (bytes.length < 8) r.fail(`a module has at least 8 bytes, got ${bytes.length}`, 0);
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) r.fail("no \\0asm magic", 0);
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) r.fail("not binary format version 1", 4);
  r.pos = 8;

  const types: SectionFuncType[] = [];
  const imports: SectionImport[] = [];
  const functions: SectionFuncType[] = [];
  const memories: SectionMemory[] = [];
  const exports: SectionExport[] = [];
  const customs: SectionCustom[] = [];
  let start: number | undefined;
  let memorySection: { start: number; end: number } | undefined;
  let importedMemories = 0;
  let lastOrder = -1;

  const typeAt = (s: Reader, what: string): SectionFuncType => {
    const at = s.pos;
    const index = s.u32(what);
    return types[index] ?? s.fail(`${what}: type index ${index} out of range (${types.length} types)`, at);
  };

  while (r.pos < bytes.length) {
    const sectionStart = r.pos;
    const id = r.byte("section id");
    const size = r.u32("section size");
    const bodyStart = r.pos;
    if (size > bytes.length - bodyStart) r.fail(`section ${id} of ${size} bytes runs past the end of the module (${bytes.length - bodyStart} bytes left)`, sectionStart);
    const end = bodyStart + size;
    r.pos = end;
    if (id === 0) {
      // Custom sections only matter by name (vm3.host, handle-abi.md §10.8); one whose name is malformed is no section we read.
      const c = new Reader(bytes, bodyStart, end);
      try {
        const name = c.name("custom section name");
        customs.push({ name, start: c.pos, end, bytes: bytes.subarray(c.pos, end) });
      } catch (e) {
        if (!(e instanceof ModuleSectionsError)) throw e;
      }
      continue;
    }
    const order = SECTION_ORDER.indexOf(id);
    if (order < 0) r.fail(`unknown section id ${id}`, sectionStart);
    if (order <= lastOrder) r.fail(`${SECTION_NAMES[id]} section out of order or repeated`, sectionStart);
    lastOrder = order;
    const s = new Reader(bytes, bodyStart, end);
    const where = `${SECTION_NAMES[id]} section`;
    switch (id) {
      case 1: {
        const n = s.count(`${where}: type`, 3);
        for (let i = 0; i < n; i++) {
          const at = s.pos;
          const form = s.byte(`type ${i} form`);
          if (form !== 0x60) s.fail(`type ${i}: form 0x${form.toString(16)} is not a Wasm 2.0 function type (0x60)`, at);
          const params: SectionValType[] = [];
          const np = s.count(`type ${i} parameter`, 1);
          for (let k = 0; k < np; k++) params.push(s.valType(`type ${i} parameter ${k}`));
          const results: SectionValType[] = [];
          const nr = s.count(`type ${i} result`, 1);
          for (let k = 0; k < nr; k++) results.push(s.valType(`type ${i} result ${k}`));
          types.push({ params, results });
        }
        break;
      }
      case 2: {
        const n = s.count(`${where}: import`, 4);
        for (let i = 0; i < n; i++) {
          const module = s.name(`import ${i} module name`);
          const name = s.name(`import ${i} name`);
          const at = s.pos;
          const kind = s.byte(`import ${module}.${name} kind`);
          switch (kind) {
            case 0: {
              const type = typeAt(s, `import ${module}.${name}`);
              imports.push({ module, name, kind: "func", type });
              functions.push(type);
              break;
            }
            case 1:
              s.valType(`import ${module}.${name} table element type`);
              s.limits(`import ${module}.${name} table`);
              imports.push({ module, name, kind: "table" });
              break;
            case 2:
              imports.push({ module, name, kind: "memory", limits: s.limits(`import ${module}.${name} memory`) });
              importedMemories++;
              break;
            case 3: {
              s.valType(`import ${module}.${name} global type`);
              const mut = s.byte(`import ${module}.${name} global mutability`);
              if (mut > 1) s.fail(`import ${module}.${name}: global mutability ${mut} is not 0 or 1`, s.pos - 1);
              imports.push({ module, name, kind: "global" });
              break;
            }
            default:
              s.fail(`import ${module}.${name}: kind ${kind} is not a Wasm 2.0 import kind`, at);
          }
        }
        break;
      }
      case 3: {
        const n = s.count(`${where}: function`, 1);
        for (let i = 0; i < n; i++) functions.push(typeAt(s, `function ${i}`));
        break;
      }
      case 5: {
        const n = s.count(`${where}: memory`, 2);
        for (let i = 0; i < n; i++) memories.push({ limits: s.limits(`memory ${importedMemories + i}`) });
        memorySection = { start: sectionStart, end };
        break;
      }
      case 7: {
        const n = s.count(`${where}: export`, 3);
        for (let i = 0; i < n; i++) {
          const name = s.name(`export ${i} name`);
          const at = s.pos;
          const k = s.byte(`export ${name} kind`);
          const kind = KINDS[k] ?? s.fail(`export ${name}: kind ${k} is not a Wasm 2.0 export kind`, at);
          const indexAt = s.pos;
          const index = s.u32(`export ${name} index`);
          // The function and memory sections come before this one (the order is checked), so the index spaces are complete.
          if (kind === "func" && index >= functions.length) s.fail(`export ${name}: function index ${index} out of range (${functions.length} functions)`, indexAt);
          if (kind === "memory" && index >= importedMemories + memories.length) s.fail(`export ${name}: memory index ${index} out of range (${importedMemories + memories.length} memories)`, indexAt);
          exports.push({ name, kind, index });
        }
        break;
      }
      case 8: {
        start = s.u32("start function index");
        if (start >= functions.length) s.fail(`start function index ${start} out of range (${functions.length} functions)`, bodyStart);
        break;
      }
      default:
        s.pos = end; // not read: the engine validates it
    }
    if (s.pos !== end) s.fail(`${where} ends at byte ${s.pos}, but its size says ${end}`, s.pos);
  }
  return { types, imports, functions, memories, exports, customs, ...(start === undefined ? {} : { start }), ...(memorySection === undefined ? {} : { memorySection }) };
}

/** `(i64, i64) -> (i64)`: the spelling of the Go bridge's errors (go-host/bridge/bridge.go `signature`). */
export function signatureText(params: readonly string[], results: readonly string[]): string {
  return `(${params.join(", ")}) -> (${results.join(", ")})`;
}
