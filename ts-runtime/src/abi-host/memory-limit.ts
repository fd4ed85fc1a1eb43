// The one limit on a guest's linear memory (handle-abi.md §10.1): 4096 pages,
// 256 MiB, the Go bridge's DefaultMaxMemoryPages. A handle-ABI guest keeps
// its objects in the host's heap and uses memory only for string data.
//
// Checked at compile from the memory section (module-sections.ts), as
// wazero checks it (go-host/bridge/bridge.go, WithMemoryLimitPages): a
// minimum over the limit is an error with wazero's wording; a declared
// maximum over the limit, or none, is capped at the limit. The JS API cannot
// cap a memory the module defines itself, so the host caps it in the binary:
// it rewrites the memory section's limits to declare the maximum the limit
// allows, and `memory.grow` past it fails (-1) in the engine, as under
// wazero. Nothing else in the binary changes.

import type { ModuleSections } from "./module-sections.ts";

export const MAX_MEMORY_PAGES = 4096;

/** wazero's spelling of a page count (internal/wasm PagesToUnitOfBytes): 4096 pages is "256 Mi". */
function pagesText(pages: number): string {
  const k = pages * 64;
  if (k < 1024) return `${k} Ki`;
  const m = Math.floor(k / 1024);
  if (m < 1024) return `${m} Mi`;
  const g = Math.floor(m / 1024);
  return g < 1024 ? `${g} Gi` : `${Math.floor(g / 1024)} Ti`;
}

/** The contract errors of the memory limits (none when they fit). */
export function memoryLimitErrors(sections: ModuleSections): string[] {
  return sections.memories
    .filter((m) => m.limits.min > MAX_MEMORY_PAGES)
    .map((m) => `memory: min ${m.limits.min} pages (${pagesText(m.limits.min)}) over limit of ${MAX_MEMORY_PAGES} pages (${pagesText(MAX_MEMORY_PAGES)}) (handle-abi.md §10.1)`);
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/**
 * `binary` with every defined memory's maximum capped at MAX_MEMORY_PAGES
 * (a missing maximum becomes the limit), or `binary` itself when every
 * memory already declares one within it. Call after memoryLimitErrors found
 * none (every minimum is within the limit, so each capped maximum is at
 * least its minimum).
 */
export function capMemoryMaximum(binary: Uint8Array, sections: ModuleSections): Uint8Array {
  const range = sections.memorySection;
  if (range === undefined || sections.memories.every((m) => m.limits.max !== undefined && m.limits.max <= MAX_MEMORY_PAGES)) return binary;
  const entries = sections.memories.flatMap((m) => [0x01, ...uleb(m.limits.min), ...uleb(Math.min(m.limits.max ?? MAX_MEMORY_PAGES, MAX_MEMORY_PAGES))]);
  const body = [...uleb(sections.memories.length), ...entries];
  const section = [0x05, ...uleb(body.length), ...body];
  const out = new Uint8Array(binary.length - (range.end - range.start) + section.length);
  out.set(binary.subarray(0, range.start), 0);
  out.set(section, range.start);
  out.set(binary.subarray(range.end), range.start + section.length);
  return out;
}
