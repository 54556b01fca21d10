// What every request schema of the published document holds without each route saying it: a free
// text holds no NUL character (PostgreSQL's text cannot; api/validate.ts refuses one with a 400
// naming the field), and an integer is a safe JavaScript integer (zod's int() refuses the rest). Said
// once here over the generated document, so a client generating from it (schemathesis) never sends a
// "valid" value the API must refuse.
type Json = Record<string, unknown>;

export const NO_NUL_PATTERN = '^[^\\x00]*$';

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function hasType(schema: Json, type: string): boolean {
  return schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));
}

/** Bounds one schema and, recursively, every schema inside it or that it refers to. */
function boundSchema(schema: unknown, seen: Set<unknown>, components: Json): void {
  if (!isObject(schema) || seen.has(schema)) return;
  seen.add(schema);
  const ref = typeof schema.$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(schema.$ref) : null;
  if (ref) boundSchema(components[ref[1]!], seen, components);
  const free = schema.pattern === undefined && schema.enum === undefined && schema.const === undefined;
  if (hasType(schema, 'string') && free && schema.format === undefined) schema.pattern = NO_NUL_PATTERN;
  if (hasType(schema, 'integer')) {
    if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) schema.maximum = Number.MAX_SAFE_INTEGER;
    if (schema.minimum === undefined && schema.exclusiveMinimum === undefined) schema.minimum = Number.MIN_SAFE_INTEGER;
  }
  for (const key of ['items', 'additionalProperties', 'not', 'propertyNames'])
    boundSchema(schema[key], seen, components);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'])
    if (Array.isArray(schema[key])) for (const s of schema[key]) boundSchema(s, seen, components);
  if (isObject(schema.properties)) for (const s of Object.values(schema.properties)) boundSchema(s, seen, components);
}

/**
 * Applies the bounds to every parameter and request body of `doc`, and to the components they refer to
 * (responses keep theirs: an error message may quote what a client sent).
 */
export function boundScalars<D extends { paths?: object; components?: object }>(doc: D): D {
  const seen = new Set<unknown>();
  const components = doc.components as Json | undefined;
  const schemas = isObject(components?.schemas) ? components.schemas : {};
  for (const item of Object.values(doc.paths ?? {})) {
    if (!isObject(item)) continue;
    for (const operation of Object.values(item)) {
      if (!isObject(operation)) continue;
      for (const parameter of (operation.parameters as Json[] | undefined) ?? [])
        boundSchema(parameter.schema, seen, schemas);
      const content = isObject(operation.requestBody) ? operation.requestBody.content : undefined;
      if (!isObject(content)) continue;
      for (const media of Object.values(content)) if (isObject(media)) boundSchema(media.schema, seen, schemas);
    }
  }
  return doc;
}
