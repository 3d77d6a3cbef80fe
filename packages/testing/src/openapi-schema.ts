import { readFileSync } from 'node:fs';

const OPENAPI_FILE = new URL('../../../docs/openapi.json', import.meta.url);

type Schema = Record<string, unknown>;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

/**
 * Checks a response body against a component schema of docs/openapi.json, for the keywords the document uses:
 * `$ref`, `type` (with arrays and null), `required`, `properties`, `additionalProperties: false`, `items`, `enum`,
 * `pattern`, `minimum`/`maximum`, `minItems`, `oneOf`/`anyOf`. Answers every problem with its path (empty: conforms).
 * A small checker rather than a validator package: the document is ours and uses few keywords, and an unknown
 * keyword here fails loudly instead of passing silently.
 */
export function openApiSchemaProblems(schemaName: string, value: unknown): string[] {
  const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const resolve = (schema: Schema): Schema => {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) throw new Error(`unknown schema ${ref}`);
    return resolve(target);
  };
  const KNOWN = new Set([
    '$ref', 'type', 'required', 'properties', 'additionalProperties', 'items', 'enum', 'pattern', 'minimum', 'maximum', 'minItems',
    'maxItems', 'minLength', 'maxLength', 'oneOf', 'anyOf', 'format', 'description', 'examples', 'example', 'title', 'default',
  ]);

  const check = (raw: Schema, at: unknown, path: string): string[] => {
    const schema = resolve(raw);
    const unknown = Object.keys(schema).filter((key) => !KNOWN.has(key));
    if (unknown.length) throw new Error(`${path}: the checker does not know ${unknown.join(', ')}`);
    const problems: string[] = [];
    for (const key of ['oneOf', 'anyOf'] as const) {
      const options = schema[key];
      if (Array.isArray(options)) {
        const passing = options.filter((option) => check(option as Schema, at, path).length === 0).length;
        if (key === 'oneOf' ? passing !== 1 : passing === 0) problems.push(`${path}: matches ${passing} of ${key}`);
      }
    }
    const types = schema.type === undefined ? undefined : ([] as unknown[]).concat(schema.type);
    const actual = typeOf(at);
    if (types && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
      return [...problems, `${path}: ${actual}, expected ${types.join(' | ')}`];
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(at)) problems.push(`${path}: ${JSON.stringify(at)} is not one of ${JSON.stringify(schema.enum)}`);
    if (typeof at === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(at)) {
      problems.push(`${path}: ${JSON.stringify(at)} does not match ${schema.pattern}`);
    }
    if (typeof at === 'number') {
      if (typeof schema.minimum === 'number' && at < schema.minimum) problems.push(`${path}: ${at} < ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && at > schema.maximum) problems.push(`${path}: ${at} > ${schema.maximum}`);
    }
    if (Array.isArray(at)) {
      if (typeof schema.minItems === 'number' && at.length < schema.minItems) problems.push(`${path}: fewer than ${schema.minItems} items`);
      if (isRecord(schema.items)) at.forEach((item, i) => problems.push(...check(schema.items as Schema, item, `${path}[${i}]`)));
    }
    if (isRecord(at)) {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
        if (!(name in at)) problems.push(`${path}.${name}: required`);
      }
      for (const [name, item] of Object.entries(at)) {
        const property = properties[name];
        if (isRecord(property)) problems.push(...check(property, item, `${path}.${name}`));
        else if (schema.additionalProperties === false) problems.push(`${path}.${name}: not in the schema`);
      }
    }
    return problems;
  };

  const root = document.components.schemas[schemaName];
  if (!root) throw new Error(`unknown schema ${schemaName}`);
  return check(root, value, schemaName);
}
