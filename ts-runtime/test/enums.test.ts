// The `as const` enums equal the proto enums they mirror (traps.md §5, cell.md §1.1).
import { join } from "node:path";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { Arena, Trap, TrapCode, trapName } from "../src/index.ts";

const PROTO = join(import.meta.dirname, "../../vm3-spec/proto/vm3/v1");

function protoEnum(file: string, name: string): Record<string, number> {
  return protobuf.loadSync(join(PROTO, file)).lookupEnum(name).values;
}

describe("enums", () => {
  it("TrapCode equals vm3.v1.TrapCode", () => {
    expect({ ...TrapCode }).toEqual(protoEnum("trap.proto", "vm3.v1.TrapCode"));
  });

  it("Arena equals vm3.v1.Arena without the ARENA_ prefix", () => {
    const fromProto = Object.fromEntries(Object.entries(protoEnum("cell.proto", "vm3.v1.Arena")).map(([k, v]) => [k.slice("ARENA_".length), v]));
    expect({ ...Arena }).toEqual(fromProto);
  });

  it("trapName and Trap messages", () => {
    expect(trapName(TrapCode.OUT_OF_BOUNDS)).toBe("OUT_OF_BOUNDS");
    expect(trapName(99)).toBe("TRAP_99");
    const t = new Trap(TrapCode.OUT_OF_BOUNDS, "list_get", "index 5 outside [0, 3)");
    expect(t.message).toBe("vm3: list_get: OUT_OF_BOUNDS: index 5 outside [0, 3)");
    expect(t).toBeInstanceOf(Error);
    expect(t.name).toBe("Trap");
  });
});
