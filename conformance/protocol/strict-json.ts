// Strict proto3 JSON → plain message objects. protobufjs's fromObject is
// lenient (it drops unknown fields and coerces types), so vector files are
// checked here against the schema before anything runs: an unknown field, a
// wrong type, an unknown enum name or two members of one oneof are errors that
// name the JSON path (conformance.md §6).
//
// The plain form: lowerCamelCase keys, enums as their names, 64-bit integers
// as bigint, other numbers as number, absent fields absent.
import protobuf from "protobufjs";

export class SchemaError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = "SchemaError";
    this.path = path;
  }
}

const INT64_TYPES = new Set(["int64", "sint64", "sfixed64"]);
const UINT64_TYPES = new Set(["uint64", "fixed64"]);
const INT32_TYPES = new Set(["int32", "sint32", "sfixed32"]);
const UINT32_TYPES = new Set(["uint32", "fixed32"]);

/** Parses `json` (already JSON.parse'd) as message `type`. */
export function fromStrictJson(type: protobuf.Type, json: unknown, path = "$"): Record<string, unknown> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new SchemaError(path, `expected a JSON object for ${type.name}`);
  }
  const out: Record<string, unknown> = {};
  const oneofSeen = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const field = fieldByJsonKey(type, key);
    const at = `${path}.${key}`;
    if (field === undefined) {
      const known = type.fieldsArray.map((f) => f.name).join(", ");
      throw new SchemaError(at, `unknown field "${key}" in ${type.name} (fields: ${known})`);
    }
    if (value === null) continue; // proto3 JSON: null means the default
    const oneof = field.partOf;
    if (oneof !== null && !isSyntheticOneof(oneof)) {
      const other = oneofSeen.get(oneof.name);
      if (other !== undefined) {
        throw new SchemaError(at, `"${key}" and "${other}" are both members of oneof ${oneof.name}`);
      }
      oneofSeen.set(oneof.name, key);
    }
    if (field.map) throw new SchemaError(at, "map fields are not used by vm3 schemas");
    if (field.repeated) {
      if (!Array.isArray(value)) throw new SchemaError(at, `expected an array for repeated ${field.name}`);
      out[field.name] = value.map((v, i) => fieldValue(field, v, `${at}[${i}]`));
    } else {
      out[field.name] = fieldValue(field, value, at);
    }
  }
  return out;
}

function fieldByJsonKey(type: protobuf.Type, key: string): protobuf.Field | undefined {
  // protobufjs names fields in lowerCamelCase (the proto3 JSON name); the
  // original snake_case name is also accepted, as proto3 JSON parsers must.
  return type.fields[key] ?? type.fieldsArray.find((f) => snakeName(f) === key);
}

function snakeName(field: protobuf.Field): string {
  return field.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function isSyntheticOneof(oneof: protobuf.OneOf): boolean {
  // proto3 `optional` is a oneof of one field named `_<field>`.
  return oneof.fieldsArray.length === 1 && oneof.name.startsWith("_");
}

function fieldValue(field: protobuf.Field, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return fromStrictJson(resolved, value, path);
  if (resolved instanceof protobuf.Enum) return enumValue(resolved, value, path);
  return scalarValue(field.type, value, path);
}

function enumValue(e: protobuf.Enum, value: unknown, path: string): string {
  if (typeof value === "string") {
    if (e.values[value] === undefined) {
      throw new SchemaError(path, `unknown ${e.name} value "${value}" (one of ${Object.keys(e.values).join(", ")})`);
    }
    return value;
  }
  if (typeof value === "number" && Number.isInteger(value)) {
    const name = e.valuesById[value];
    if (name === undefined) throw new SchemaError(path, `no ${e.name} value numbered ${value}`);
    return name;
  }
  throw new SchemaError(path, `expected a ${e.name} name, got ${JSON.stringify(value)}`);
}

function scalarValue(type: string, value: unknown, path: string): unknown {
  switch (type) {
    case "bool":
      if (typeof value !== "boolean") throw new SchemaError(path, `expected true or false, got ${JSON.stringify(value)}`);
      return value;
    case "string":
      if (typeof value !== "string") throw new SchemaError(path, `expected a string, got ${JSON.stringify(value)}`);
      return value;
    case "double":
    case "float":
      return floatValue(value, path);
  }
  if (INT64_TYPES.has(type)) return integer(value, path, -(1n << 63n), (1n << 63n) - 1n, type);
  if (UINT64_TYPES.has(type)) return integer(value, path, 0n, (1n << 64n) - 1n, type);
  if (INT32_TYPES.has(type)) return Number(integer(value, path, -(1n << 31n), (1n << 31n) - 1n, type));
  if (UINT32_TYPES.has(type)) return Number(integer(value, path, 0n, (1n << 32n) - 1n, type));
  throw new SchemaError(path, `scalar type ${type} is not used by vm3 schemas`);
}

function floatValue(value: unknown, path: string): number {
  if (typeof value === "number") return value;
  if (value === "NaN") return Number.NaN;
  if (value === "Infinity") return Number.POSITIVE_INFINITY;
  if (value === "-Infinity") return Number.NEGATIVE_INFINITY;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  throw new SchemaError(path, `expected a number, "NaN", "Infinity" or "-Infinity", got ${JSON.stringify(value)}`);
}

function integer(value: unknown, path: string, min: bigint, max: bigint, type: string): bigint {
  let n: bigint;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new SchemaError(path, `expected an integer (${type}), got ${value}`);
    if (!Number.isSafeInteger(value)) {
      throw new SchemaError(path, `${value} is not exact as a JSON number; write 64-bit integers beyond 2^53 as strings`);
    }
    n = BigInt(value);
  } else if (typeof value === "string" && /^-?[0-9]+$/.test(value)) {
    n = BigInt(value);
  } else {
    throw new SchemaError(path, `expected an integer (${type}) as a number or decimal string, got ${JSON.stringify(value)}`);
  }
  if (n < min || n > max) throw new SchemaError(path, `${n} is outside the range of ${type} [${min}, ${max}]`);
  return n;
}
