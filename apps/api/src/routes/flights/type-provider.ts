import type { FastifyPluginAsync, FastifyTypeProvider, RawServerDefault } from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';

/**
 * Type provider for schemas built with @sinclair/typebox 0.34 (what @dronelog/contracts uses).
 * @fastify/type-provider-typebox 6 infers with the newer `typebox` 1.x package, whose Static is
 * "excessively deep" on large 0.34 objects such as FlightDetail; this one infers with 0.34's own Static.
 * Validation and serialization stay Fastify's defaults (Ajv, fast-json-stringify): only types change.
 */
export interface TypeBoxProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

export type FastifyPluginAsyncTypeBox = FastifyPluginAsync<Record<never, never>, RawServerDefault, TypeBoxProvider>;
