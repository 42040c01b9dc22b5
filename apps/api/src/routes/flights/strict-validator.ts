import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value, type ValueError } from '@sinclair/typebox/value';

/**
 * Validator for routes whose JSON body must be taken literally (PATCH /flights/:id).
 * Fastify's default Ajv coerces body types (`{"name": 42}` becomes "42", `[1, 2]` becomes
 * ["1", "2"]) and silently drops unknown properties; for an edit that hides mistakes, so the body is
 * checked exactly as the TypeBox schema says, unknown properties are reported by name, and a
 * failing field's schema description is quoted so the message says what is expected.
 * Params/querystring keep string → number conversion (they are strings on the wire).
 */
export const strictBodyValidator: FastifySchemaCompiler<unknown> = ({ schema: raw, httpPart }) => {
  // Only ever attached to routes whose schemas come from @dronelog/contracts (TypeBox).
  const schema = raw as TSchema;
  const check = TypeCompiler.Compile(schema);
  const fields = schema.properties ? Object.keys(schema.properties as object) : [];
  return (input: unknown) => {
    const value = httpPart === 'body' ? input : Value.Convert(schema, input);
    if (check.Check(value)) return { value };
    const error: FastifySchemaValidationError[] = [...check.Errors(value)].slice(0, 3).map((e) => ({
      keyword: String(e.type),
      instancePath: e.path,
      schemaPath: '',
      params: {},
      message: explain(e, fields),
    }));
    return { error };
  };
};

function explain(e: ValueError, fields: string[]): string {
  if (e.message === 'Unexpected property') {
    return `is not a field that can be changed; send only ${fields.join(', ')}`;
  }
  const s = e.schema as { description?: string; anyOf?: Array<{ description?: string }> };
  const description = s.description ?? s.anyOf?.find((o) => o.description)?.description;
  const message = e.message === 'Expected union value' ? 'has the wrong type or format' : e.message;
  return description ? `${message}: ${description}` : message;
}
