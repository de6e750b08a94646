/**
 * The products an organization has (`GET /api/v2/authorization/products`): a fixed list, the same
 * for every organization, naming what tokend is and nothing it is not (docs/api.md, "Products").
 *
 * tokend serves the directory (people, groups), authorization (roles, divisions) and OAuth
 * planes that every Genesys Cloud organization has, and no communication product. Genesys's id
 * for that tier is `collaborateFree`. A tool that checks for `engage`, `communicate` or `byoc`
 * before calling telephony or routing APIs then learns here, correctly, that tokend has none,
 * instead of failing later on an API tokend does not serve.
 */
export const ORGANIZATION_PRODUCTS: readonly string[] = Object.freeze(['collaborateFree']);
