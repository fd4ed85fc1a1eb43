// The conformance host library (host.md §11.5): the host functions that the
// host program vectors (conformance/programs/host.json) import by name. Go's
// twin is go-host/testee/hostlib.go; the two must behave alike on every
// function, since every program backend runs the same vectors against one of
// them. Each function is described by what it does, not by an IR signature:
// a program declares the signature it calls it with (several names below are
// one behaviour under several signatures, because an import name has one
// signature per program).
//
// A plain module with no imports, so that a worker, a Web Worker and the
// Chromium page can all load it as it is.

/** A JS object holding an i64, the library's host value of choice. */
interface Box {
  readonly boxed: bigint;
}

function isBox(v: unknown): v is Box {
  return typeof v === "object" && v !== null && typeof (v as Box).boxed === "bigint";
}

/** box(i64) -> host: a fresh object holding n. */
export function box(n: bigint): Box {
  return { boxed: n };
}

/** unbox(host) -> i64: the number a box holds; throws for anything else. */
export function unbox(h: unknown): bigint {
  if (!isBox(h)) throw new Error("unbox: not a box");
  return h.boxed;
}

/** greet(str) -> str: "hello, " + s. */
export function greet(s: string): string {
  return `hello, ${s}`;
}

/** len(str) -> i64: the UTF-8 byte length of s. */
export function len(s: string): bigint {
  return BigInt(new TextEncoder().encode(s).length);
}

/** fail(str) -> any type: throws an Error whose message is s. */
export function fail(s: string): never {
  throw new Error(s);
}

/** throw_value() -> any type: throws a value that is not an Error. */
export function throw_value(): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw "a thrown string";
}

/** counter() -> host: a closure that returns 1, 2, 3, … on successive calls. */
export function counter(): () => bigint {
  let n = 0n;
  return () => ++n;
}

/** tick(host) -> i64: calls a counter and returns what it returned. */
export function tick(c: unknown): bigint {
  if (typeof c !== "function") throw new Error("tick: not a counter");
  return (c as () => bigint)();
}

/** same(host, host) -> bool: whether the two are the same host value (identity). */
export function same(a: unknown, b: unknown): boolean {
  return a === b;
}

/** is_nil(host) -> bool: whether the host received the null host. */
export function is_nil(h: unknown): boolean {
  return h === null;
}

/** nothing() -> host: JS null (the null host). */
export function nothing(): null {
  return null;
}

/** undef() -> host: JS undefined (the null host too). */
export function undef(): undefined {
  return undefined;
}

/** text() -> host, or any other type: the JS string "text". */
export function text(): string {
  return "text";
}

/** any_text() -> any: the same string, where no string converts (HOST_ERROR). */
export const any_text = text;

/** add_f64(f64, f64) -> f64. */
export function add_f64(a: number, b: number): number {
  return a + b;
}

/** negate(bool) -> bool. */
export function negate(b: boolean): boolean {
  return !b;
}

/** not_bigint() -> i64: the number 1, which is not a bigint (HOST_ERROR). */
export function not_bigint(): number {
  return 1;
}

/** too_big() -> i64: 2^63, outside the i64 range (HOST_ERROR). */
export function too_big(): bigint {
  return 2n ** 63n;
}

/** keep(T) -> host: an object holding its argument (a reference object, say). */
export function keep(x: unknown): { kept: unknown } {
  return { kept: x };
}

function kept(h: unknown): unknown {
  if (typeof h !== "object" || h === null || !("kept" in h)) throw new Error("take: not kept");
  return (h as { kept: unknown }).kept;
}

/** take(host) -> T: what keep held. The aliases are take under other result types. */
export const take = kept;
export const take_f64arr = kept;
export const take_other = kept;

/** echo(T) -> T: its argument. The aliases are echo at other types. */
export function echo(x: unknown): unknown {
  return x;
}
export const echo_list = echo;
export const echo_any = echo;
export const echo_map = echo;
