// The .proto files of vm3-spec are the single source of truth for every wire
// format (vm3-spec/README.md); this module loads them once with protobufjs.
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

const PROTO_ROOT = fileURLToPath(new URL("../../vm3-spec/proto/", import.meta.url));
const PROTO_FILES = ["vm3/v1/testee.proto", "vm3/v1/program.proto"];

let root: protobuf.Root | undefined;

/** The resolved protobufjs root of vm3.v1 (loaded on first use). */
export function schema(): protobuf.Root {
  if (root === undefined) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => PROTO_ROOT + target;
    r.loadSync(PROTO_FILES);
    r.resolveAll();
    root = r;
  }
  return root;
}

export function messageType(name: string): protobuf.Type {
  return schema().lookupType(`vm3.v1.${name}`);
}

export function enumType(name: string): protobuf.Enum {
  return schema().lookupEnum(`vm3.v1.${name}`);
}
