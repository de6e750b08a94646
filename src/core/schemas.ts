/**
 * JSON schemas of the wire models that the core also validates (seed files reuse them).
 * The HTTP routes use the same objects, so the OpenAPI document and the checks cannot drift.
 */
import { Type, type Static } from '@sinclair/typebox';
import { IDLE_TIMEOUT_SECONDS } from './models.js';

const TimeoutUnit = Type.Union([Type.Literal('Minutes'), Type.Literal('Hours')], { description: 'Display unit only' });
const TimeoutSeconds = Type.Integer({ minimum: IDLE_TIMEOUT_SECONDS.min, maximum: IDLE_TIMEOUT_SECONDS.max });

export const GroupBundleSchema = Type.Object(
  {
    priority: Type.Integer({ minimum: 1, maximum: 5, description: 'Lower wins where a user is in several bundles' }),
    timeoutSeconds: TimeoutSeconds,
    inactivityTimeoutUnit: Type.Optional(TimeoutUnit),
    groups: Type.Array(Type.String({ minLength: 1 }), { description: 'Group ids' }),
  },
  { additionalProperties: false, title: 'InactivityTimeoutGroupBundle' },
);

/** `IdleTokenTimeout`; every field optional on input (missing ones keep their current value). */
export const IdleTokenTimeoutSchema = Type.Object(
  {
    enableIdleTokenTimeout: Type.Optional(Type.Boolean()),
    idleTokenTimeoutSeconds: Type.Optional(TimeoutSeconds),
    inactivityTimeoutUnit: Type.Optional(TimeoutUnit),
    inactivityTimeoutGroupsEnabled: Type.Optional(Type.Boolean()),
    inactivityTimeoutGroupBundles: Type.Optional(Type.Array(GroupBundleSchema, { maxItems: 5 })),
  },
  { additionalProperties: false, title: 'IdleTokenTimeout' },
);
export type IdleTokenTimeoutInput = Static<typeof IdleTokenTimeoutSchema>;
