/**
 * The Genesys Cloud regions by their AWS names, as the official SDK lists them. Either
 * form may be given as `region`: `'us_west_2'`, `'us-west-2'` or `'usw2.pure.cloud'`.
 *
 * @example
 * ```ts
 * new ApiClient({ region: regions.eu_west_1 }); // https://api.mypurecloud.ie
 * ```
 */
export const regions = {
  us_east_1: 'mypurecloud.com',
  eu_west_1: 'mypurecloud.ie',
  ap_southeast_2: 'mypurecloud.com.au',
  ap_northeast_1: 'mypurecloud.jp',
  eu_central_1: 'mypurecloud.de',
  us_west_2: 'usw2.pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  ap_northeast_2: 'apne2.pure.cloud',
  eu_west_2: 'euw2.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  us_east_2: 'use2.us-gov-pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
  eu_central_2: 'euc2.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud',
} as const satisfies Record<string, string>;

/**
 * Where the client talks to: a Genesys Cloud region (`https://api.<region>` and
 * `https://login.<region>`), one base URL that serves both (tokend), or two URLs.
 */
export type Environment = { region: string } | { baseUrl: string } | { apiUrl: string; loginUrl: string };

/** The two origins (each may carry a path prefix), always ending in `/`. */
export interface Endpoints {
  api: string;
  login: string;
}

const hostname = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

/**
 * Turns an {@link Environment} into the two base URLs. Misuse throws a `TypeError`
 * at once, not on the first call.
 *
 * @example
 * ```ts
 * resolveEnvironment({ region: 'mypurecloud.ie' }).login; // 'https://login.mypurecloud.ie/'
 * resolveEnvironment({ baseUrl: 'http://localhost:8080' }).api; // 'http://localhost:8080/'
 * ```
 */
export function resolveEnvironment(environment: Environment): Endpoints {
  if ('region' in environment) {
    const key = environment.region.toLowerCase().replaceAll('-', '_') as keyof typeof regions;
    const domain = Object.hasOwn(regions, key) ? regions[key] : environment.region;
    if (!hostname.test(domain)) {
      throw new TypeError(
        `region "${environment.region}" is neither a Genesys Cloud region (such as mypurecloud.com or us-east-1) nor a domain name; give { baseUrl } for a tokend server`,
      );
    }
    return { api: `https://api.${domain}/`, login: `https://login.${domain}/` };
  }
  if ('baseUrl' in environment) {
    const base = baseUrl(environment.baseUrl, 'baseUrl');
    return { api: base, login: base };
  }
  return { api: baseUrl(environment.apiUrl, 'apiUrl'), login: baseUrl(environment.loginUrl, 'loginUrl') };
}

function baseUrl(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${option} "${value}" is not an absolute URL such as http://localhost:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${option} "${value}" must use http or https`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError(`${option} "${value}" must not carry a query or a fragment`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/**
 * Joins a base URL from {@link resolveEnvironment} and an absolute API path, keeping
 * any path prefix of the base.
 *
 * @example
 * ```ts
 * joinUrl('http://host/tokend/', '/oauth/token'); // 'http://host/tokend/oauth/token'
 * ```
 */
export function joinUrl(base: string, path: string): URL {
  return new URL(path.replace(/^\/+/, ''), base);
}
