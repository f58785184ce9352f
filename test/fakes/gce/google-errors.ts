/**
 * Compute Engine's error bodies (https://cloud.google.com/compute/docs/api/how-tos/api-requests-responses#handling_api_errors):
 * `{error: {code, message, errors: [{message, domain, reason}], status}}` for HTTP errors, and
 * `{errors: [{code, message}]}` in a failed operation's `error`.
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function errorBody(e: HttpError): string {
  return JSON.stringify({
    error: {
      code: e.status,
      message: e.message,
      errors: [{ message: e.message, domain: e.reason === 'authError' ? 'global' : e.status === 429 ? 'usageLimits' : 'global', reason: e.reason }],
      status: STATUS_NAMES[e.status] ?? 'UNKNOWN',
    },
  });
}

export const unauthenticated = (): HttpError =>
  new HttpError(
    401,
    'authError',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  );

export const notFound = (resource: string): HttpError => new HttpError(404, 'notFound', `The resource '${resource}' was not found`);

export const invalid = (field: string, value: string, why: string): HttpError =>
  new HttpError(400, 'invalid', `Invalid value for field '${field}': '${value}'. ${why}`);

/** The HTTP error an injected fault of `kind` answers with, when it is not a failed operation. */
export function injectedHttpError(kind: 'throttled' | 'auth' | 'invalidRequest' | 'transient', project: string): HttpError {
  switch (kind) {
    case 'throttled':
      return new HttpError(429, 'rateLimitExceeded', `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'compute.googleapis.com' for consumer 'project_number:${project}'.`, { 'retry-after': '2' });
    case 'auth':
      return new HttpError(403, 'forbidden', `Required 'compute.instances.create' permission for 'projects/${project}'`);
    case 'invalidRequest':
      return new HttpError(400, 'invalid', "Invalid value for field 'resource': injected by the fake.");
    case 'transient':
      return new HttpError(503, 'backendError', 'The service is currently unavailable.');
  }
}

/** A failed operation's `error` and HTTP fields for capacity and quota faults. */
export function operationFailure(kind: 'capacity' | 'quota', zone: string, project: string): Record<string, unknown> {
  return kind === 'capacity'
    ? {
        error: {
          errors: [
            {
              code: 'ZONE_RESOURCE_POOL_EXHAUSTED',
              message: `The zone 'projects/${project}/zones/${zone}' does not have enough resources available to fulfill the request.  Try a different zone, or try again later.`,
            },
          ],
        },
        httpErrorStatusCode: 503,
        httpErrorMessage: 'SERVICE UNAVAILABLE',
      }
    : {
        error: { errors: [{ code: 'QUOTA_EXCEEDED', message: `Quota 'CPUS' exceeded.  Limit: 24.0 in region ${zone.slice(0, zone.lastIndexOf('-'))}.` }] },
        httpErrorStatusCode: 403,
        httpErrorMessage: 'FORBIDDEN',
      };
}
