import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { PROJECTION_NAMES, Product } from './contract.js';
import { operations, type Operation } from './operations.js';

// Holds the client to docs/openapi.json, the contract of record: each operation's method, path, query parameters,
// required headers, request body and success body, both ways (an operation or a field on one side only fails).
// Schemas are compared as shapes: types, enums, properties and which are required, nullability, array items. Formats,
// patterns and bounds are left out on purpose: the client parses what it may rely on, the server validates.

type Json = Record<string, unknown>;
const openapi = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8')) as Json & {
  paths: Record<string, Record<string, Json>>;
};

/** Operations the client leaves out, with the reason. */
const NOT_IN_THE_CLIENT: Record<string, string> = {
  auditExportEvents: 'answers a stream of NDJSON lines, not one JSON body (read it with fetch, line by line)',
};

type Shape =
  | { kind: 'any' }
  | { kind: 'string' | 'integer' | 'number' | 'boolean' | 'null'; enum?: unknown[] }
  | { kind: 'array'; items: Shape }
  | { kind: 'object'; properties: Record<string, Shape>; required: string[] }
  | { kind: 'union'; of: Shape[] };

function resolve(root: Json, ref: string): Json {
  let node: unknown = root;
  for (const part of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) node = (node as Json)[part];
  return node as Json;
}

const kindOf = (value: unknown): Shape['kind'] => (value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : (typeof value as 'string' | 'boolean'));

/** A JSON Schema (the document's or one zod wrote) as a shape; unions are flattened and their objects merged. */
function shape(schema: Json, root: Json): Shape {
  if (typeof schema.$ref === 'string') return shape(resolve(root, schema.$ref), root);
  const variants: Shape[] = [];
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alternatives) {
    variants.push(...alternatives.map((alternative) => shape(alternative, root)));
  } else if ('const' in schema) {
    variants.push({ kind: kindOf(schema.const), enum: [schema.const] } as Shape);
  } else if (Array.isArray(schema.enum)) {
    variants.push(...schema.enum.map((value) => ({ kind: kindOf(value), enum: [value] }) as Shape));
  } else {
    const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? (schema.properties ? ['object'] : []) : [schema.type]) as string[];
    if (types.length === 0) return { kind: 'any' };
    for (const type of types) {
      if (type === 'object') {
        const properties = Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, Json>).map(([name, property]) => [name, shape(property, root)]));
        variants.push({ kind: 'object', properties, required: [...((schema.required ?? []) as string[])].sort() });
      } else if (type === 'array') {
        variants.push({ kind: 'array', items: schema.items ? shape(schema.items as Json, root) : { kind: 'any' } });
      } else {
        variants.push({ kind: type as 'string' });
      }
    }
  }
  return merge(variants);
}

function merge(shapes: Shape[]): Shape {
  const flat = shapes.flatMap((one) => (one.kind === 'union' ? one.of : [one]));
  if (flat.some((one) => one.kind === 'any')) return { kind: 'any' };
  const byKind = new Map<Shape['kind'], Shape[]>();
  for (const one of flat) byKind.set(one.kind, [...(byKind.get(one.kind) ?? []), one]);
  const merged = [...byKind.entries()].map(([kind, same]): Shape => {
    if (kind === 'array') return { kind, items: merge(same.map((one) => (one as Extract<Shape, { kind: 'array' }>).items)) };
    if (kind === 'object') {
      const objects = same as Array<Extract<Shape, { kind: 'object' }>>;
      const names = [...new Set(objects.flatMap((one) => Object.keys(one.properties)))].sort();
      return {
        kind,
        properties: Object.fromEntries(names.map((name) => [name, merge(objects.flatMap((one) => (one.properties[name] ? [one.properties[name]] : [])))])),
        required: names.filter((name) => objects.every((one) => one.required.includes(name))),
      };
    }
    const enums = (same as Array<{ enum?: unknown[] }>).map((one) => one.enum);
    return enums.every((values) => values !== undefined) ? ({ kind, enum: [...new Set(enums.flat())].sort() } as Shape) : ({ kind } as Shape);
  });
  merged.sort((a, b) => a.kind.localeCompare(b.kind));
  return merged.length === 1 ? merged[0]! : { kind: 'union', of: merged };
}

const clientShape = (schema: z.ZodType, io: 'input' | 'output'): Shape => {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return shape(json, json);
};
const documentShape = (schema: Json): Shape => shape(schema, openapi);

interface DocumentOperation {
  method: string;
  path: string;
  operation: Json & { operationId: string; parameters?: Json[]; requestBody?: Json; responses: Record<string, Json> };
}

const documentOperations: DocumentOperation[] = Object.entries(openapi.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation: operation as DocumentOperation['operation'] })),
);

const parametersOf = (found: DocumentOperation): Json[] => {
  const common = ((openapi.paths[found.path] as Json).parameters ?? []) as Json[];
  return [...common, ...(found.operation.parameters ?? [])].map((parameter) => (typeof parameter.$ref === 'string' ? resolve(openapi, parameter.$ref) : parameter));
};

/** The JSON schema of the operation's success (2xx) body, or null when it answers none. */
function successBody(found: DocumentOperation): Json | null {
  const [, success] = Object.entries(found.operation.responses).find(([status]) => /^2\d\d$/.test(status)) ?? [];
  const content = (success?.content ?? {}) as Record<string, Json>;
  return (content['application/json']?.schema as Json | undefined) ?? null;
}

const entries = Object.entries(operations) as Array<[string, Operation]>;

describe('the client against docs/openapi.json', () => {
  it('covers every operation of the API that answers JSON', () => {
    const api = documentOperations.filter(({ path }) => path.startsWith('/api/')).map(({ operation }) => operation.operationId);
    expect(entries.map(([name]) => name).sort()).toEqual(api.filter((id) => !(id in NOT_IN_THE_CLIENT)).sort());
  });

  describe.each(entries)('%s', (name, ours) => {
    const found = documentOperations.find(({ operation }) => operation.operationId === name);

    it('has the document\'s method and path', () => {
      expect(found && { method: found.method, path: found.path }).toEqual({ method: ours.method, path: ours.path });
    });

    it('sends the document\'s query parameters and the headers it requires', () => {
      const parameters = parametersOf(found!);
      const names = (place: string, onlyRequired = false) =>
        parameters.filter((parameter) => parameter.in === place && (!onlyRequired || parameter.required === true)).map((parameter) => parameter.name as string).sort();
      expect(Object.keys(ours.query?.shape ?? {}).sort()).toEqual(names('query'));
      expect(names('header')).toEqual(expect.arrayContaining([...(ours.headers ?? [])]));
      expect([...(ours.headers ?? [])].sort()).toEqual(expect.arrayContaining(names('header', true)));
    });

    it('sends the document\'s request body', () => {
      const body = ((found!.operation.requestBody?.content ?? {}) as Record<string, Json>)['application/json']?.schema as Json | undefined;
      expect(ours.request ? clientShape(ours.request, 'input') : null).toEqual(body ? documentShape(body) : null);
    });

    it('parses the document\'s success body', () => {
      const body = successBody(found!);
      expect(ours.response ? clientShape(ours.response, 'output') : null).toEqual(body ? documentShape(body) : null);
    });
  });

  it('offers the projections the document names (ProjectionName), for the dead-letter picker', () => {
    expect([...PROJECTION_NAMES].sort()).toEqual([...(resolve(openapi, '#/components/schemas/ProjectionName').enum as string[])].sort());
  });

  it('notices a field the document does not have (the comparison can fail)', () => {
    const product = documentShape({ $ref: '#/components/schemas/Product' });
    expect(clientShape(Product, 'output')).toEqual(product);
    expect(clientShape(Product.extend({ colour: z.string() }), 'output')).not.toEqual(product);
    expect(clientShape(Product.extend({ version: z.number().int().optional() }), 'output')).not.toEqual(product);
    expect(clientShape(Product.extend({ status: z.enum(['active']) }), 'output')).not.toEqual(product);
  });
});
