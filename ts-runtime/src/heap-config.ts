// Heap configuration (heap.proto `HeapConfig`, arenas.md §2.6, collection.md §4.5).

/** The collector variant (collection.md §4.5). */
export type Variant = "stub" | "minimal" | "auto";

export interface HeapConfig {
  /** Absent: `minimal`, the proto default. */
  variant?: Variant;
  /** Slots (live, free, quarantined or dead) per arena. Absent or 0: 2^32, every slot a Cell can name. */
  maxSlotsPerArena?: number;
  /** Limit on accounted bytes (arenas.md §2.6). Absent or 0: DEFAULT_HEAP_BYTES, finite because a guest is untrusted. */
  maxHeapBytes?: number;
  /** AUTO's minimum allocations between collections. Absent or 0: 1024. */
  autoMinThreshold?: number;
  /**
   * Not in heap.proto (an embedder's choice, not a program's): "weak"
   * (default) lets regions that only wrappers reach hand their host values
   * to those wrappers, so cycles through JS are collected (collection.md
   * §4.7); "strong" makes every wrapper a plain pin — the finalizer-only
   * design, kept as the cycles benchmark's baseline.
   */
  hostEdges?: "weak" | "strong";
}

export interface ResolvedConfig {
  variant: Variant;
  /** variant === "stub" / "auto", kept as flags for the allocation path. */
  stub: boolean;
  auto: boolean;
  maxSlotsPerArena: number;
  maxHeapBytes: number;
  autoMinThreshold: number;
  hostEdges: "weak" | "strong";
}

const SLOT_SPACE = 2 ** 32;
/**
 * arenas.md §2.6–§2.7: 2^28 accounted bytes, at most REAL_BYTES_FACTOR times
 * that of V8 heap — below Node's default heap limit, so the accounting traps
 * OUT_OF_MEMORY before V8 aborts the process.
 */
export const DEFAULT_HEAP_BYTES = 2 ** 28;

/**
 * arenas.md §2.7: this heap's live V8 memory grows by at most this many bytes
 * per accounted byte (worst shape: a 1-byte String). A host that raises
 * maxHeapBytes gives V8 this factor times as much heap.
 */
export const REAL_BYTES_FACTOR = 14;

/**
 * Applies the defaults. A limit above 2^32 slots is 2^32: no handle can name
 * a slot beyond it. A negative, fractional or unknown setting is a
 * RangeError — it is a programming error, not a guest's doing.
 */
export function resolveConfig(config: HeapConfig): ResolvedConfig {
  const variant = config.variant ?? "minimal";
  if (variant !== "stub" && variant !== "minimal" && variant !== "auto") throw new RangeError(`HeapConfig: unknown variant ${String(variant)}`);
  const maxSlots = count("maxSlotsPerArena", config.maxSlotsPerArena);
  const maxBytes = count("maxHeapBytes", config.maxHeapBytes);
  const threshold = count("autoMinThreshold", config.autoMinThreshold);
  if (config.hostEdges !== undefined && config.hostEdges !== "weak" && config.hostEdges !== "strong") throw new RangeError(`HeapConfig: hostEdges must be "weak" or "strong", got ${String(config.hostEdges)}`);
  return {
    variant,
    stub: variant === "stub",
    auto: variant === "auto",
    maxSlotsPerArena: maxSlots === 0 ? SLOT_SPACE : Math.min(maxSlots, SLOT_SPACE),
    maxHeapBytes: maxBytes === 0 ? DEFAULT_HEAP_BYTES : maxBytes,
    autoMinThreshold: threshold === 0 ? 1024 : threshold,
    hostEdges: config.hostEdges === "strong" ? "strong" : "weak",
  };
}

function count(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`HeapConfig: ${name} must be a non-negative integer, got ${value}`);
  return value;
}
