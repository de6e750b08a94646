/**
 * One Ajv per part of the request (Fastify's "validator compiler" pattern): the query string
 * coerces (`?preserveIdleTTL=true` is a boolean), a JSON body never does (a string where a
 * number belongs is a wrong type), and nothing is silently removed (unknown properties are
 * `invalid.property`, not dropped).
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS: under NodeNext its function is the `default` of the module object.
const addFormats = addFormatsModule.default;

function ajv(coerceTypes: boolean): Ajv {
  const instance = new Ajv({ coerceTypes, removeAdditional: false, useDefaults: false, allErrors: false, strict: false });
  addFormats(instance);
  return instance;
}

export function registerValidation(app: FastifyInstance): void {
  const body = ajv(false);
  const other = ajv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : other).compile(schema));
}
