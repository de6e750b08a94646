/**
 * One Ajv per part of the request (Fastify's "validator compiler" pattern): the query string
 * coerces (`?preserveIdleTTL=true` is a boolean), a JSON body never does (a string where a
 * number belongs is a wrong type), and nothing is silently removed (unknown properties are
 * `invalid.property`, not dropped).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS: under NodeNext its function is the `default` of the module object.
const addFormats = addFormatsModule.default;

function ajv(coerceTypes: boolean): Ajv {
  const instance = new Ajv({ coerceTypes, removeAdditional: false, useDefaults: false, allErrors: false, strict: false });
  addFormats(instance);
  return instance;
}

const TRUE_OR_FALSE = /^(?:true|false)$/i;

/**
 * Every boolean query parameter takes `true` and `false` in any letter case: .NET SDKs before
 * 204.0.0 send `True`. Ajv coerces only the lower-case words, so those are lowered first;
 * anything else (`maybe`, `1`, the parameter given twice) is still Ajv's to refuse.
 */
function booleansInAnyCase(schema: object, validate: ValidateFunction): ValidateFunction {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  const names = Object.entries(properties)
    .filter(([, property]) => property.type === 'boolean')
    .map(([name]) => name);
  if (names.length === 0) return validate;
  const lowered = ((query: Record<string, unknown> | null) => {
    if (query !== null && typeof query === 'object') {
      for (const name of names) {
        const value = query[name];
        if (typeof value === 'string' && TRUE_OR_FALSE.test(value)) query[name] = value.toLowerCase();
      }
    }
    const valid = validate(query);
    lowered.errors = validate.errors;
    return valid;
  }) as ValidateFunction;
  return lowered;
}

export function registerValidation(app: FastifyInstance): void {
  const body = ajv(false);
  const other = ajv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body') return body.compile(schema);
    const validate = other.compile(schema);
    return httpPart === 'querystring' ? booleansInAnyCase(schema, validate) : validate;
  });
}
