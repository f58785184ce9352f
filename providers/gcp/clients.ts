import { ImagesClient, InstancesClient, MachineTypesClient, RegionsClient, ZoneOperationsClient, ZonesClient } from '@google-cloud/compute';
import { GoogleAuth, JWT, OAuth2Client } from 'google-auth-library';
import { AuthError, InvalidRequestError } from '../errors.js';
import { BillingCatalog } from './billing-catalog.js';

/** The Compute Engine clients of one account, sharing one auth client. */
export interface GceClients {
  readonly project: string;
  readonly instances: InstancesClient;
  readonly operations: ZoneOperationsClient;
  readonly regions: RegionsClient;
  readonly zones: ZonesClient;
  readonly machineTypes: MachineTypesClient;
  readonly images: ImagesClient;
  /** The Cloud Billing Catalog API's SKU listing (plain REST: no SDK for it is needed). */
  readonly catalog: BillingCatalog;
}

export interface GceConnection {
  readonly account: string;
  readonly project?: string;
  /** The API base URL as the user wrote it, e.g. `http://127.0.0.1:8080`; absent: compute.googleapis.com. */
  readonly endpoint?: string;
  /** `serviceAccountKey` (the JSON key) or `accessToken`; neither: Application Default Credentials. */
  readonly credentials: Readonly<Record<string, string>>;
}

/**
 * One attempt per call: gax would retry GETs on UNAVAILABLE for up to 10 minutes, but the
 * registry's wrapper owns retries (with jitter, metrics and a concurrency limit).
 */
export const CALL = { maxRetries: 0, timeout: 60_000, autoPaginate: false };

const COMPUTE_SCOPE = 'https://www.googleapis.com/auth/compute';
/** The Cloud Billing Catalog API's read scope: prices (billing-catalog.ts). */
const BILLING_SCOPE = 'https://www.googleapis.com/auth/cloud-billing.readonly';
const SCOPES = [COMPUTE_SCOPE, BILLING_SCOPE];

/**
 * Every request goes to the endpoint asked and nowhere else: a redirect comes back as the 3xx it is
 * (classified as an invalid endpoint) instead of being followed. gaxios fetches with node-fetch,
 * which follows 301/302/307 carrying the bearer token to any port of the same host name, and to
 * any host over the same scheme once the name matches as a subdomain; a Compute Engine endpoint
 * never redirects, so a redirect is a misconfigured endpoint or a hostile one.
 */
const TRANSPORT = { transporterOptions: { redirect: 'manual' as const } };
const FAR_FUTURE_MS = Date.UTC(9999, 0);

interface ServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
  readonly project_id?: string;
  readonly private_key_id?: string;
}

/** The key JSON's fields we need; the error names the account and the field, never the key. */
function parseKey(account: string, json: string): ServiceAccountKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new AuthError('credential "serviceAccountKey" is not JSON (expected the key file a service account\'s "Create key" downloads)', account);
  }
  const key = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  for (const field of ['client_email', 'private_key'] as const) {
    if (typeof key[field] !== 'string' || key[field] === '') throw new AuthError(`credential "serviceAccountKey" has no "${field}"`, account);
  }
  return key as unknown as ServiceAccountKey;
}

function authFor(c: GceConnection): { auth: OAuth2Client | GoogleAuth; keyProject?: string } {
  const { accessToken, serviceAccountKey } = c.credentials;
  if (accessToken !== undefined) {
    const client = new OAuth2Client(TRANSPORT);
    client.setCredentials({ access_token: accessToken, expiry_date: FAR_FUTURE_MS });
    return { auth: client };
  }
  if (serviceAccountKey !== undefined) {
    const key = parseKey(c.account, serviceAccountKey);
    // A self-signed JWT per request (scope claim) rather than an OAuth token exchange: no round trip
    // to oauth2.googleapis.com, which also keeps a private or test endpoint self-contained.
    const jwt = new JWT({
      email: key.client_email,
      key: key.private_key,
      ...(key.private_key_id === undefined ? {} : { keyId: key.private_key_id }),
      scopes: SCOPES,
      ...TRANSPORT,
    });
    jwt.useJWTAccessWithScope = true;
    return { auth: jwt, ...(key.project_id === undefined ? {} : { keyProject: key.project_id }) };
  }
  return { auth: new GoogleAuth({ scopes: SCOPES, clientOptions: TRANSPORT }) };
}

/** apiEndpoint/port/protocol for the SDK: it ignores a port inside apiEndpoint (and would dial 443). */
function endpointOptions(account: string, endpoint: string | undefined): Record<string, unknown> {
  if (endpoint === undefined) return {};
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidRequestError(`endpoint ${JSON.stringify(endpoint)} is not a URL`, account);
  }
  const protocol = url.protocol.replace(/:$/, '');
  const port = url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port);
  return { apiEndpoint: url.hostname, port, protocol };
}

/** `billing`: the Catalog API's endpoint (default the account's `endpoint`, else Google's) and the clock its shared read goes by. */
export function connect(c: GceConnection, billing: { readonly endpoint?: string | undefined; readonly now?: () => number } = {}): GceClients {
  const { auth, keyProject } = authFor(c);
  const project = c.project ?? keyProject;
  if (project === undefined) {
    throw new InvalidRequestError('no project: set the account\'s "project", or use a serviceAccountKey whose JSON has "project_id"', c.account);
  }
  // The SDK bundles its own copy of google-auth-library, whose class types differ from ours only nominally.
  const options = { ...endpointOptions(c.account, c.endpoint), fallback: 'rest', authClient: auth } as unknown as ConstructorParameters<typeof InstancesClient>[0];
  return {
    project,
    instances: new InstancesClient(options),
    operations: new ZoneOperationsClient(options),
    regions: new RegionsClient(options),
    zones: new ZonesClient(options),
    machineTypes: new MachineTypesClient(options),
    images: new ImagesClient(options),
    catalog: new BillingCatalog({ endpoint: billing.endpoint ?? c.endpoint, headers: () => auth.getRequestHeaders(), ...(billing.now === undefined ? {} : { now: billing.now }) }),
  };
}
