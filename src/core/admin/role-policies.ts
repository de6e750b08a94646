/**
 * A role written through the roles API may name what it grants as permission strings, as
 * `DomainPermissionPolicy` objects (what Terraform's auth_role sends), or both. tokend enforces
 * permission strings (permissions.ts), so each policy becomes one permission per action, and the
 * role reads back the same policies (permission-policies.ts groups them again, in the order
 * given) with the names and flags the policies carried.
 *
 * A policy narrowed by named resources or by conditions is refused: tokend enforces no
 * condition, so keeping the policy without them would grant more than was asked.
 */
import { ApiError } from '../errors.js';
import type { PolicyLabel } from '../models.js';
import { type PermissionPolicy, permissionPolicies } from '../permission-policies.js';
import { permissionProblem } from './directory-rules.js';

/** A `DomainPermissionPolicy` as a request gives it. */
export interface PolicyInput {
  domain?: string;
  entityName?: string;
  policyName?: string;
  policyDescription?: string;
  actionSet?: string[];
  namedResources?: string[];
  allowConditions?: boolean;
  resourceConditionNode?: unknown;
}

export type LabelledPolicy = PermissionPolicy & Omit<PolicyLabel, 'domain' | 'entityName'>;

const invalid = (field: string, message: string) =>
  new ApiError(400, 'invalid.value', message, { details: [{ errorCode: 'invalid.value', fieldName: field }] });

/** The permissions of `permissions` then of each policy, each once, and the policies' labels; 400 naming the first bad one. */
export function roleContentOf(
  permissions: readonly string[] | undefined,
  policies: readonly PolicyInput[] | undefined,
): { permissions: string[]; labels: PolicyLabel[] } {
  const granted = new Set<string>();
  for (const [index, permission] of (permissions ?? []).entries()) {
    const problem = permissionProblem(permission);
    if (problem) throw invalid(`permissions[${index}]`, problem);
    granted.add(permission);
  }
  const labels: PolicyLabel[] = [];
  for (const [index, policy] of (policies ?? []).entries()) {
    const field = `permissionPolicies[${index}]`;
    if (!policy.domain) throw invalid(`${field}.domain`, 'a permission policy needs a domain');
    if (!policy.entityName) throw invalid(`${field}.entityName`, 'a permission policy needs an entityName');
    if (!policy.actionSet || policy.actionSet.length === 0) throw invalid(`${field}.actionSet`, 'a permission policy needs at least one action');
    if ((policy.namedResources ?? []).length > 0) throw invalid(`${field}.namedResources`, 'tokend enforces no named resources: give the policy without them');
    if (policy.resourceConditionNode !== undefined && policy.resourceConditionNode !== null) {
      throw invalid(`${field}.resourceConditionNode`, 'tokend enforces no conditions: give the policy without them');
    }
    for (const [actionIndex, action] of policy.actionSet.entries()) {
      const permission = `${policy.domain}:${policy.entityName}:${action}`;
      const problem = permissionProblem(permission);
      if (problem) throw invalid(`${field}.actionSet[${actionIndex}]`, problem);
      granted.add(permission);
    }
    const label: PolicyLabel = {
      domain: policy.domain,
      entityName: policy.entityName,
      ...(policy.policyName === undefined ? {} : { policyName: policy.policyName }),
      ...(policy.policyDescription === undefined ? {} : { policyDescription: policy.policyDescription }),
      ...(policy.allowConditions === undefined ? {} : { allowConditions: policy.allowConditions }),
    };
    if (Object.keys(label).length > 2 && !labels.some((l) => l.domain === label.domain && l.entityName === label.entityName)) labels.push(label);
  }
  return { permissions: [...granted], labels };
}

/** The role's policies (permission-policies.ts), each with the label it was given, if any. */
export function labelledPolicies(permissions: readonly string[], labels: readonly PolicyLabel[] = []): LabelledPolicy[] {
  return permissionPolicies(permissions).map((policy) => {
    const label = labels.find((l) => l.domain === policy.domain && l.entityName === policy.entityName);
    if (!label) return policy;
    const { domain: _domain, entityName: _entity, ...rest } = label;
    return { domain: policy.domain, entityName: policy.entityName, ...rest, actionSet: policy.actionSet };
  });
}
