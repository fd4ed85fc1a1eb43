// Plain message objects (strict-json.ts's form) ↔ binary protobuf, for the
// testee protocol (conformance.md §6.4).
import protobuf from "protobufjs";
import { messageType } from "./schema.ts";

const LONG_TYPES = new Set(["int64", "sint64", "sfixed64", "uint64", "fixed64"]);

/** Encodes a plain message as binary protobuf. */
export function encodeMessage(typeName: string, plain: object): Uint8Array {
  const type = messageType(typeName);
  return type.encode(type.fromObject(toProtobufjs(type, plain))).finish();
}

/** Decodes binary protobuf into the plain form. Throws on malformed input. */
export function decodeMessage(typeName: string, bytes: Uint8Array): Record<string, unknown> {
  const type = messageType(typeName);
  // defaults: true gives every non-oneof field a value, as the in-process
  // backend's objects have; oneof members and proto3 optionals keep presence.
  const object = type.toObject(type.decode(bytes), { longs: String, enums: String, defaults: true });
  return fromProtobufjs(type, object);
}

function toProtobufjs(type: protobuf.Type, plain: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plain)) {
    const field = type.fields[key];
    if (field === undefined || value === undefined) continue;
    const convert = (v: unknown): unknown => {
      if (field.resolvedType instanceof protobuf.Type) return toProtobufjs(field.resolvedType, v as object);
      if (typeof v === "bigint") return v.toString();
      return v;
    };
    out[key] = field.repeated ? (value as unknown[]).map(convert) : convert(value);
  }
  return out;
}

function fromProtobufjs(type: protobuf.Type, object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const field = type.fields[key];
    if (field === undefined || value === undefined || value === null) continue;
    const convert = (v: unknown): unknown => {
      if (field.resolvedType instanceof protobuf.Type) {
        return fromProtobufjs(field.resolvedType, v as Record<string, unknown>);
      }
      if (LONG_TYPES.has(field.type)) return BigInt(v as string);
      return v;
    };
    out[key] = field.repeated ? (value as unknown[]).map(convert) : convert(value);
  }
  return out;
}
