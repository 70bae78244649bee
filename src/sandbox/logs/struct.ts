import type { Struct, Value } from '../wire';

// LogEntry.json_payload is a google.protobuf.Struct on the wire: {fields: {name: Value}}, each Value one of
// null/number/string/bool/struct/list. These convert between that and plain JSON.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function toStruct(object: JsonObject): Struct {
  return { fields: Object.fromEntries(Object.entries(object).map(([k, v]) => [k, toValue(v)])) };
}

function toValue(value: Json): Value {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  return { structValue: toStruct(value) };
}

export function fromStruct(struct: Struct | null | undefined): JsonObject {
  return Object.fromEntries(Object.entries(struct?.fields ?? {}).map(([k, v]) => [k, fromValue(v)]));
}

function fromValue(value: Value): Json {
  // Decoded messages name the set member in `kind` (oneofs: true) and carry defaults for the others.
  const kind =
    (value as { kind?: string }).kind ?? Object.keys(value).find((k) => (value as Record<string, unknown>)[k] != null);
  switch (kind) {
    case 'numberValue':
      return value.numberValue ?? 0;
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'structValue':
      return fromStruct(value.structValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map(fromValue);
    default:
      return null;
  }
}
