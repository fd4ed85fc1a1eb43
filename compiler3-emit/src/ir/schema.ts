// ir.proto loaded with protobufjs, the same way conformance/protocol/schema.ts
// loads testee.proto (which does not import ir.proto): the .proto file is the
// single source of truth for the JSON and binary forms of Program.
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

const PROTO_ROOT = fileURLToPath(new URL("../../../vm3-spec/proto/", import.meta.url));

let root: protobuf.Root | undefined;

/** The resolved protobufjs root holding vm3/v1/ir.proto (loaded on first use). */
export function irSchema(): protobuf.Root {
  if (root === undefined) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => PROTO_ROOT + target;
    r.loadSync(["vm3/v1/ir.proto"]);
    r.resolveAll();
    root = r;
  }
  return root;
}

export function irMessageType(name: string): protobuf.Type {
  return irSchema().lookupType(`vm3.v1.${name}`);
}

export function irEnumType(name: string): protobuf.Enum {
  return irSchema().lookupEnum(`vm3.v1.${name}`);
}
