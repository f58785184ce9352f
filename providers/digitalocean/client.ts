import { createApiClient } from 'dots-wrapper';

/** The dots-wrapper client: one per account, holding its token. */
export type DigitalOceanClient = ReturnType<typeof createApiClient>;

export const PUBLIC_API = 'https://api.digitalocean.com/v2';

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
  return createApiClient({ token, endpoint: apiBase(endpoint), requestTimeoutInMs: requestTimeoutMs });
}
