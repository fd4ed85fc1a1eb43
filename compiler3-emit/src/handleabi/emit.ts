// compiler3 IR → a handle-ABI module (handle-abi.md §10): plain Wasm 2.0 and
// return_call (§10.1), whose heap is a host's vm3 heap behind the `vm3`
// imports. i64 / f64 / bool values stay unboxed in locals; references and
// `any` are i64 Cells.
//
// Layout: a memory (exported as `memory`) holding the string constants'
// bytes; one immutable-after-init global per constant, set and pinned by the
// exported `vm3_init`; the runtime functions (cells.ts, arith, the exact
// fma); one function per IR function with its frame of roots (roots.ts);
// an export per entry-shaped function under its IR name; the program's host
// imports as imports from module `host` and the `vm3.host` custom section
// that describes them (host-imports.ts, §10.8).

import { isEntryShaped } from "../ir/entry.ts";
import type { Program } from "../ir/model.ts";
import { printText } from "../ir/text-printer.ts";
import { emitFunction, type FunctionTarget } from "../wasm/function.ts";
import { installDivOps } from "../wasm/arith.ts";
import { binaryen, i64Const } from "../wasm/binaryen.ts";
import { FMA_FUNCTION, installFma } from "../wasm/fma.ts";
import { binaryenFailure, largeFunctions, optimizeModule } from "../wasm/optimize.ts";
import { keepTailCallInterrupts } from "../wasm/tail-interrupts.ts";
import { installCellCodec } from "./cells.ts";
import { HostImports } from "./host-imports.ts";
import { Imports } from "./imports.ts";
import { planRoots, type RootPlan } from "./roots.ts";
import { type HandleAbiContext, translateValue, valueType } from "./values.ts";

export interface HandleAbiOptions {
  /** Run binaryen's optimiser. */
  optimize?: boolean;
  /**
   * Root the guest's live Cells in frames (§10.5); default true. Only a test
   * turns it off, to show the STALE_HANDLE that an AUTO collection then
   * causes: never run a module built without it under AUTO.
   */
  rooting?: boolean;
  /** Export every function under its IR name, not only those that can be an entry: the module of a bound program (bindings.md §2). */
  exportAll?: boolean;
}

/** A program the handle-ABI target cannot compile, or a module binaryen rejects (a compiler bug). */
export class HandleAbiEmitError extends Error {
  override name = "HandleAbiEmitError";
}

/** Wasm 2.0 without GC, plus the tail-call proposal's return_call (§10.1): what wazero runs (with its tail-call feature on) and V8 runs. */
export const HANDLE_ABI_FEATURES: binaryen.Features =
  binaryen.Features.TailCall |
  binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.BulkMemory |
  binaryen.Features.Multivalue;

/** Export names of §10.1 that an IR function may not take. */
const RESERVED_EXPORTS = new Set(["memory", "vm3_init"]);

export function emitHandleAbi(program: Program, options: HandleAbiOptions = {}): Uint8Array {
  const m = emitHandleAbiModule(program, options);
  try {
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** The validated (and with `optimize`, optimised) module; the caller disposes it. */
export function emitHandleAbiModule(program: Program, options: HandleAbiOptions = {}): binaryen.Module {
  const m = new binaryen.Module();
  try {
    m.setFeatures(HANDLE_ABI_FEATURES);
    const imports = new Imports(m);
    const hostImports = new HostImports(m, program);
    const encoder = new TextEncoder();

    // String constants: bytes in memory, a global each, set and pinned by vm3_init (§10.5).
    const segments: { offset: number; data: Uint8Array }[] = [];
    const init: binaryen.ExpressionRef[] = [];
    let offset = 0;
    const stringGlobal = (f: number, i: number) => `str.${f}.${i}`;
    program.functions.forEach((f, fi) => {
      f.strings.forEach((s, si) => {
        const data = encoder.encode(s);
        segments.push({ offset, data });
        const g = stringGlobal(fi, si);
        m.addGlobal(g, binaryen.i64, true, i64Const(m, 0n));
        init.push(
          m.global.set(g, imports.call("str_new", [m.i32.const(offset), m.i32.const(data.length)])),
          imports.call("pin", [m.global.get(g, binaryen.i64)]),
        );
        offset += data.length;
      });
    });
    const pages = Math.max(1, Math.ceil(offset / 65536));
    m.setMemory(pages, pages, "memory", segments.map((s) => ({ offset: m.i32.const(s.offset), data: s.data })));
    m.addFunction("vm3_init", binaryen.none, binaryen.none, [], init.length === 0 ? m.nop() : m.block(null, init));
    m.addFunctionExport("vm3_init", "vm3_init");

    const frames = new Map<number, { plan: RootPlan; mark: number }>();
    const frame = (fnIndex: number) => frames.get(fnIndex);
    const cx: HandleAbiContext = {
      module: m,
      program,
      imports,
      hostImports,
      cells: installCellCodec(m),
      div: installDivOps(m),
      fma: installFma(m),
      functionName: (i) => `f${i}.${program.functions[i]!.name}`,
      stringGlobal,
      exitFrame: (env) => {
        const f = frame(env.fnIndex);
        return f === undefined ? [] : [imports.call("frame_exit", [m.local.get(f.mark, binaryen.i32)])];
      },
    };
    const rooting = options.rooting ?? true;
    const target: FunctionTarget = {
      module: m,
      valueType,
      functionName: cx.functionName,
      translateValue: (env, v) => translateValue(cx, env, v),
      returnCall: true, // §10.6: a tail call of another function is frame_exit, then return_call (values.ts)
      prologue(env) {
        const plan = rooting ? planRoots(env.fn, env.fnIndex) : new Map<number, number>();
        if (plan.size === 0) return [];
        const mark = env.newLocal(binaryen.i32);
        frames.set(env.fnIndex, { plan, mark });
        return [m.local.set(mark, imports.call("frame_enter", [m.i32.const(plan.size)]))];
      },
      afterDefine(env, v) {
        const f = frame(env.fnIndex);
        const slot = f?.plan.get(v.id);
        if (f === undefined || slot === undefined) return [];
        return [imports.call("frame_root", [m.local.get(f.mark, binaryen.i32), m.i32.const(slot), env.get(v.id)])];
      },
      beforeReturn: (env) => cx.exitFrame(env),
    };
    program.functions.forEach((f, i) => {
      try {
        emitFunction(target, f, i);
      } catch (e) {
        throw new HandleAbiEmitError((e as Error).message);
      }
      if (!options.exportAll && !isEntryShaped(program, i)) return;
      if (RESERVED_EXPORTS.has(f.name)) {
        throw new HandleAbiEmitError(`func ${f.name}: the name is reserved for the module's own export (handle-abi.md §10.1)`);
      }
      m.addFunctionExport(cx.functionName(i), f.name);
    });
    if (!m.validate()) {
      throw new HandleAbiEmitError(
        `the handle-ABI module for entry ${program.entry} fails binaryen validation (reasons above on stderr): a compiler bug; the IR that caused it:\n${printText(program)}`,
      );
    }
    if (options.optimize) {
      // Large functions skip the passes that nest without bound (wasm/optimize.ts).
      try {
        optimizeModule(m, { noInline: FMA_FUNCTION, large: largeFunctions(program.functions, cx.functionName) });
      } catch (e) {
        throw new HandleAbiEmitError(binaryenFailure(`binaryen -O on the handle-ABI module for entry ${program.entry}`, e, program.functions));
      }
      if (!m.validate()) throw new HandleAbiEmitError(`binaryen -O produced an invalid handle-ABI module for entry ${program.entry}`);
    }
    // After the optimiser, which would delete them: the loops that give a
    // cycle of return_calls an interrupt check (embedding.md §7.2).
    keepTailCallInterrupts(m, program);
    // Last, from the host imports the final module still has (§10.8).
    hostImports.addSection();
    return m;
  } catch (e) {
    m.dispose();
    throw e;
  }
}
