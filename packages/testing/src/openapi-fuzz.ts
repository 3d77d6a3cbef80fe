import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import fc from 'fast-check';

const OPENAPI_FILE = new URL('../../../docs/openapi.json', import.meta.url);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}

/** One operation of docs/openapi.json, with its `$ref`s resolved: what the fuzzer varies. */
export interface FuzzOperation {
  label: string;
  method: string;
  path: string;
  roles: string[];
  parameters: Parameter[];
  body: Schema | undefined;
}

interface Document {
  paths: Record<string, Record<string, unknown> & { parameters?: Array<Record<string, unknown>> }>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, Parameter> };
}

const loadDocument = (): Document => JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;

function resolver(document: Document) {
  const resolve = (schema: Schema): Schema => {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const target = document.components.schemas[ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`unknown schema ${ref}`);
    return resolve(target);
  };
  const parameter = (raw: Record<string, unknown>): Parameter => {
    const ref = raw.$ref;
    if (typeof ref !== 'string') return raw as unknown as Parameter;
    const target = document.components.parameters[ref.replace('#/components/parameters/', '')];
    if (!target) throw new Error(`unknown parameter ${ref}`);
    return target;
  };
  return { resolve, parameter };
}

/** Every operation docs/openapi.json assigns to `service` (by `x-service`), operational endpoints included. */
export function fuzzableOperations(service: string): FuzzOperation[] {
  const document = loadDocument();
  const { resolve, parameter } = resolver(document);
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method] as
        | { 'x-service'?: string | string[]; 'x-roles'?: string[]; parameters?: Array<Record<string, unknown>>; requestBody?: { content?: Record<string, { schema?: Schema }> } }
        | undefined;
      if (!operation) return [];
      const services = ([] as unknown[]).concat(operation['x-service']);
      if (!services.includes(service)) return [];
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(parameter);
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      return [{
        label: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        roles: operation['x-roles'] ?? [],
        parameters,
        body: bodySchema ? resolve(bodySchema) : undefined,
      }];
    }),
  );
}

/** `arbitrary` in about one draw of `oneIn`, else undefined. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary, weight: 1 }, { arbitrary: fc.constant(undefined), weight: oneIn - 1 });

/** Values that are wrong for almost any field: other types, nothing, extremes. */
const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, '', ' ', '0', 'null', [], {}, [null], { '': '' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Strings meant to hurt: unicode of every plane, control characters, injection-looking text, overlong text. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000', '\uFEFF', '\u202E', '\uD800', '💥🛒', 'é'.normalize('NFD'), "'; DROP TABLE events; --", '<script>alert(1)</script>',
    '${jndi:ldap://x}', '../../etc/passwd', '%E0%A4%A', '\r\nSet-Cookie: x=1', 'a'.repeat(5_001), 'ü'.repeat(255), 'x'.repeat(60_000),
  ),
  fc.integer({ min: 1, max: 6_000 }).map((n) => 'z'.repeat(n)),
);

/**
 * JSON text nested `depth` levels deep, written as text (building the value and stringifying it would overflow the
 * test's own stack). Up to 30,000 levels: past what V8's recursive JSON.stringify survives, and still under a
 * 64 KiB body limit as arrays.
 */
const deeplyNestedText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 2, max: 30_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 2, max: 10_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.integer({ min: 2, max: 10_000 }).map((depth) => `{"lines":${'['.repeat(depth)}${']'.repeat(depth)},"shippingAddress":{}}`),
);

interface FuzzContext {
  /** Ids that exist (so that a request can get past "not found" into the handler's deeper checks). */
  ids: string[];
  /**
   * Header values to use instead of the generated ones, by lower-case name: for a header whose valid values have an
   * answer that is a documented 5xx (a Consistency-Token ahead of the read model waits, then answers 503).
   */
  headers?: Record<string, fc.Arbitrary<string>>;
}

/** A value for `schema`: usually one that looks right (so deeper code runs), often a hostile one. */
function valueArbitrary(rawSchema: Schema, resolve: (schema: Schema) => Schema, context: FuzzContext, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(rawSchema);
  const plausible = plausibleArbitrary(schema, resolve, context, depth);
  // Mostly plausible, field by field: a body is only as deep into the handler as its least plausible field lets it get.
  const choices = [{ arbitrary: plausible, weight: 12 }, { arbitrary: wrongTypeValue, weight: 1 }, { arbitrary: hostileString as fc.Arbitrary<unknown>, weight: 1 }];
  return fc.oneof(...choices);
}

function plausibleArbitrary(schema: Schema, resolve: (schema: Schema) => Schema, context: FuzzContext, depth: number): fc.Arbitrary<unknown> {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) return fc.oneof(...options.map((option) => plausibleArbitrary(resolve(option as Schema), resolve, context, depth)));
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const type = ([] as unknown[]).concat(schema.type ?? 'string').find((t) => t !== 'null');
  switch (type) {
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
      return fc.oneof(fc.integer({ min: Math.max(min, -2_000_000_000), max: Math.min(max, 2_000_000_000) }), fc.constantFrom(min - 1, max + 1));
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = (schema.items as Schema | undefined) ?? {};
      const maxItems = typeof schema.maxItems === 'number' ? Math.min(schema.maxItems + 1, 5) : 5;
      return fc.array(valueArbitrary(items, resolve, context, depth + 1), { maxLength: maxItems });
    }
    case 'object': {
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      const entries = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueArbitrary(property, resolve, context, depth + 1)]));
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const record = fc.record(entries, { requiredKeys: required });
      // Now and then a required field left out, a field the schema does not know (strict bodies answer 400) or a
      // prototype-polluting key.
      const names = Object.keys(properties);
      const twist = rarely(fc.oneof(fc.constantFrom('unknownField', '__proto__', 'constructor').map((extra) => ({ extra })), fc.constantFrom(...(names.length ? names : ['x'])).map((drop) => ({ drop }))), 8);
      return fc.tuple(record, twist).map(([value, change]) => {
        if (change === undefined) return value;
        if ('extra' in change) return { ...value, [change.extra]: { polluted: true } };
        const { [change.drop]: _dropped, ...rest } = value as Record<string, unknown>;
        return rest;
      });
    }
    default: {
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : 200;
      if (schema.format === 'uuid') return fc.oneof(fc.uuid(), fc.constantFrom(...(context.ids.length ? context.ids : ['00000000-0000-0000-0000-000000000000'])));
      if (schema.format === 'email') {
        const simple = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.constantFrom('shop.local', 'example.com')).map(([local, domain]) => `${local}@${domain}`);
        return fc.oneof({ arbitrary: simple, weight: 4 }, { arbitrary: fc.emailAddress(), weight: 1 }, { arbitrary: fc.constant(`${'a'.repeat(250)}@example.com`), weight: 1 });
      }
      if (schema.format === 'date-time') return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constant('2026-13-45T99:99:99Z'));
      const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const plain = fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, Math.min(maxLength, 60)) });
      const overlong = fc.constant('o'.repeat(maxLength + 1));
      if (typeof schema.pattern === 'string') {
        const matching = fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= maxLength);
        return fc.oneof({ arbitrary: matching, weight: 4 }, { arbitrary: plain, weight: 1 }, { arbitrary: overlong, weight: 1 });
      }
      return fc.oneof({ arbitrary: plain, weight: 6 }, { arbitrary: overlong, weight: 1 });
    }
  }
}

/** Path segments: real ids, random UUIDs, and everything an id must survive. */
const pathSegment = (context: FuzzContext): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...(context.ids.length ? context.ids : ['00000000-0000-0000-0000-000000000000'])), weight: 8 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: fc.constantFrom('%E0%A4%A', '%', '%00', '%C0%AF', '..%2F..%2Fetc%2Fpasswd', 'not-a-uuid', '00000000-0000-0000-0000-00000000000g', 'order-%F0%9F%92%A5', 'x'.repeat(3_000), '%2e%2e', ';', 'a%20b'), weight: 2 },
    { arbitrary: hostileString.map((s) => encodeURIComponent(s.slice(0, 500)).replace(/%$/, '')), weight: 1 },
  );

/** Header values: only what an HTTP client can send (visible ASCII), but anything else about them is fair game. */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.constantFrom('', '*', '"1"', 'W/"1"', '"99999999999999999999"', '-1', '1e9', '18446744073709551616', '0x10', 'null', 'x'.repeat(8_000)),
);

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Raw JSON texts a parser must survive. */
const hostileBodyText: fc.Arbitrary<string> = fc.constantFrom(
  '{', '}', '[', 'nul', '{"a":1,"a":2}', '{"__proto__":{"isAdmin":true}}', '"just a string"', '12', 'true', '\uFEFF{}', '{"a":"\\ud800"}',
  '['.repeat(100_000), `{"a":"${'x'.repeat(70_000)}"}`, `${'['.repeat(30_000)}${']'.repeat(30_000)}`, '{"lines":[{"productId":"', '',
);

/**
 * Requests for one operation: its path with real, random and hostile ids; its query and header parameters
 * plausible or hostile (and bad percent-encodings); an Authorization header of an allowed role, another role,
 * garbage or none; and a body drawn from its schema, or wrong types, deep nesting, overlong or unicode strings, or
 * raw text that is not JSON at all.
 */
export function requestArbitrary(operation: FuzzOperation, context: FuzzContext & { tokens: Record<string, string> }): fc.Arbitrary<FuzzRequest> {
  const { resolve } = resolver(loadDocument());
  const pathNames = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const path = fc.tuple(...pathNames.map(() => pathSegment(context))).map((segments) =>
    pathNames.reduce((built, name, i) => built.replace(`{${name}}`, segments[i]!), operation.path),
  );

  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const query = fc
    .tuple(
      fc.tuple(...queryParameters.map((p) => fc.option(valueArbitrary(p.schema, resolve, context), { nil: undefined }))),
      rarely(fc.constantFrom('bad=%E0%A4%A', 'limit=1&limit=2', '%=%', 'a[b][c]=1', 'search=%00', '&&&'), 8),
    )
    .map(([values, raw]) => {
      const pairs = queryParameters.flatMap((p, i) => (values[i] === undefined ? [] : [`${p.name}=${encodeURIComponent(typeof values[i] === 'string' ? values[i] : JSON.stringify(values[i]))}`]));
      if (raw) pairs.push(raw);
      return pairs.length ? `?${pairs.join('&')}` : '';
    });

  const headerParameters = operation.parameters.filter((p) => p.in === 'header');
  // Tokens of the roles the operation admits (x-roles), else any: the request should usually get past authorization.
  const allowed = operation.roles.flatMap((role) => (context.tokens[role] ? [context.tokens[role]] : []));
  if (allowed.length === 0) allowed.push(...Object.values(context.tokens));
  const headers = fc.tuple(
    fc.tuple(
      ...headerParameters.map((p) =>
        fc.option(
          context.headers?.[p.name.toLowerCase()] ??
          fc.oneof(plausibleArbitrary(resolve(p.schema), resolve, context, 0).filter((v): v is string => typeof v === 'string' && /^[\x20-\x7e]*$/.test(v)), hostileHeaderValue),
          { nil: undefined, freq: 6 },
        ),
      ),
    ),
    fc.oneof(
      { arbitrary: fc.constantFrom(...allowed).map((token) => `Bearer ${token}`), weight: 8 },
      { arbitrary: fc.constantFrom(...Object.values(context.tokens)).map((token) => `Bearer ${token}`), weight: 2 },
      { arbitrary: fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer a.b.c', 'Basic YWRtaW46YWRtaW4=', 'bearer x', `Bearer ${'e'.repeat(7_000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.'), weight: 1 },
      { arbitrary: fc.constant(undefined), weight: 1 },
    ),
    fc.oneof(
      { arbitrary: fc.constant('application/json'), weight: 12 },
      { arbitrary: fc.constantFrom('application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined), weight: 1 },
    ),
    rarely(fc.record({ 'x-request-id': hostileHeaderValue, 'x-forwarded-for': fc.constantFrom('127.0.0.2', '1.2.3.4, 10.0.0.1', 'garbage', '::1') }, { requiredKeys: [] }), 4),
  ).map(([values, authorization, contentType, extra]) => {
    const built: Record<string, string> = { ...extra };
    headerParameters.forEach((p, i) => {
      if (values[i] !== undefined) built[p.name.toLowerCase()] = values[i];
    });
    if (authorization !== undefined) built.authorization = authorization;
    if (contentType !== undefined) built['content-type'] = contentType;
    return built;
  });

  const body: fc.Arbitrary<string | undefined> = operation.body
    ? fc.oneof(
        { arbitrary: valueArbitrary(operation.body, resolve, context).map((value) => JSON.stringify(value)), weight: 12 },
        { arbitrary: hostileBodyText, weight: 1 },
        { arbitrary: deeplyNestedText, weight: 1 },
        { arbitrary: fc.constant(undefined), weight: 1 },
      )
    : fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: hostileBodyText, weight: 1 });

  return fc.record({ path, query, headers, body }).map((parts) => ({
    method: operation.method,
    path: `${parts.path}${parts.query}`,
    headers: parts.headers,
    body: parts.body,
  }));
}

export interface FuzzAnswer {
  status: number;
  elapsedMs: number;
  contentType: string | undefined;
  body: string;
}

/** Sends a request exactly as built (node:http: fetch would normalise the path and refuse some headers). */
export function sendRaw(base: string, built: FuzzRequest): Promise<FuzzAnswer> {
  const { hostname, port } = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port: Number(port), method: built.method, path: built.path, headers: { ...built.headers, ...(built.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(built.body)) }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, elapsedMs: performance.now() - started, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    // A server may answer (413, 400) and close before reading a large body: that answer is what counts.
    req.on('error', reject);
    req.end(built.body);
  });
}

/** Shown with a failure: the request, cut short where it is huge. */
export const describeRequest = (built: FuzzRequest): string => {
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);
  return `${built.method} ${cut(built.path)} headers=${cut(JSON.stringify(built.headers))} body=${built.body === undefined ? '(none)' : cut(built.body)}`;
};

/** A string field of an operation's request body, as docs/openapi.json describes it. */
export interface RequestStringField {
  operation: FuzzOperation;
  /** The body the document gives as its example (the field is set into a copy of it). */
  example: unknown;
  /** Where the field sits: property names and, for arrays, `0` (the first item). */
  at: string[];
  maxLength: number | undefined;
  /** Has a maximum length, or is an enum or a UUID (which bound it as well). */
  bounded: boolean;
}

/** Every string field of every request body of `service`'s operations, nested ones included. */
export function requestStringFields(service: string): RequestStringField[] {
  const document = loadDocument();
  const { resolve } = resolver(document);
  const examples = new Map<string, unknown>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as { requestBody?: { content?: Record<string, { example?: unknown }> } } | undefined;
      examples.set(`${method.toUpperCase()} ${path}`, operation?.requestBody?.content?.['application/json']?.example);
    }
  }
  const fields: RequestStringField[] = [];
  const walk = (operation: FuzzOperation, raw: Schema, at: string[]): void => {
    const schema = resolve(raw);
    const type = ([] as unknown[]).concat(schema.type);
    if (type.includes('object')) {
      for (const [name, property] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) walk(operation, property, [...at, name]);
    } else if (type.includes('array') && schema.items) {
      walk(operation, schema.items as Schema, [...at, '0']);
    } else if (type.includes('string')) {
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
      fields.push({
        operation,
        example: examples.get(operation.label),
        at,
        maxLength,
        bounded: maxLength !== undefined || Array.isArray(schema.enum) || schema.format === 'uuid',
      });
    }
  };
  for (const operation of fuzzableOperations(service)) if (operation.body) walk(operation, operation.body, []);
  return fields;
}

/** A deep copy of `value` with `replacement` at `at` (missing objects on the way are made). */
export function withValueAt(value: unknown, at: readonly string[], replacement: unknown): unknown {
  const copy = structuredClone(value ?? {}) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  at.slice(0, -1).forEach((key, i) => {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = at[i + 1] === '0' ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[at[at.length - 1]!] = replacement;
  return copy;
}
