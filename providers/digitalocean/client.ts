import { modules } from 'dots-wrapper';

export const PUBLIC_API = 'https://api.digitalocean.com/v2';

/**
 * dots-wrapper's client, made through its own `createApiClient` with our context: the same
 * headers and timeout as its default one, but an axios instance that follows no redirect. axios
 * follows up to 21 by default (follow-redirects, which drops the Authorization header only when
 * the host or port changes, and then talks to the other server anyway, whose answer the adapter
 * would take for DigitalOcean's); the API never redirects, so a 3xx is answered as it is and
 * classified as a wrong endpoint.
 */
const createClient = modules.common.createApiClient({
  modules,
  createContext: ({ axios, endpoint = PUBLIC_API, requestTimeoutInMs, token }) =>
    Object.freeze({
      endpoint,
      httpClient: axios.create({
        baseURL: endpoint,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        timeout: requestTimeoutInMs,
        maxRedirects: 0,
      }),
    }),
});

/** The dots-wrapper client: one per account, holding its token. */
export type DigitalOceanClient = ReturnType<typeof createClient>;

/**
 * The API base dots-wrapper wants, from `account.endpoint` as a user writes it: the SDK's paths
 * (`/droplets`) hang off `/v2`, which `https://api.digitalocean.com` does not include, so `/v2` is
 * appended unless the URL already ends in it.
 */
export function apiBase(endpoint: string | undefined): string {
  if (endpoint === undefined) return PUBLIC_API;
  const trimmed = endpoint.replace(/\/+$/, '');
  return trimmed.endsWith('/v2') ? trimmed : `${trimmed}/v2`;
}

export function digitalOceanClient(token: string, endpoint: string | undefined, requestTimeoutMs: number): DigitalOceanClient {
  return createClient({ token, endpoint: apiBase(endpoint), requestTimeoutInMs: requestTimeoutMs });
}
