/**
 * DigitalOcean's error answers: status and `{id, message, request_id}` bodies worded as the real API
 * words them (its reference, and what users have recorded of it).
 */

export interface DoError {
  readonly status: number;
  readonly id: string;
  readonly message: string;
}

export const UNAUTHORIZED: DoError = { status: 401, id: 'Unauthorized', message: 'Unable to authenticate you' };
export const FORBIDDEN: DoError = { status: 403, id: 'Forbidden', message: 'You are not authorized to perform this operation' };
export const NOT_FOUND: DoError = { status: 404, id: 'not_found', message: 'The resource you were accessing could not be found.' };
export const TOO_MANY_REQUESTS: DoError = { status: 429, id: 'too_many_requests', message: 'API Rate limit exceeded.' };
export const SERVER_ERROR: DoError = { status: 500, id: 'server_error', message: 'Server was unable to give you a response.' };

export const unprocessable = (message: string): DoError => ({ status: 422, id: 'unprocessable_entity', message });

export const SIZE_NOT_IN_REGION = unprocessable('Size is not available in this region.');
export const REGION_UNAVAILABLE = unprocessable('Region is not available.');
export const DROPLET_LIMIT = unprocessable('creating this/these droplet(s) will exceed your droplet limit');
export const INVALID_SIZE = unprocessable('You specified an invalid size for Droplet creation.');
export const INVALID_REGION = unprocessable('You specified an invalid region for Droplet creation.');
export const INVALID_IMAGE = unprocessable('You specified an invalid image for Droplet creation.');
export const INVALID_NAME = unprocessable('Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)');
/** An action on a droplet that is still being created, or that has an action under way. */
export const PENDING_EVENT = unprocessable('Droplet already has a pending event.');
export const INVALID_TAG = unprocessable('Tag names may only contain letters, numbers, colons, dashes and underscores, and be at most 255 characters long.');

/** The failures a test can inject, by the polyfleet error class the adapter should map them to. */
export const INJECTABLE = {
  capacity: SIZE_NOT_IN_REGION,
  quota: DROPLET_LIMIT,
  throttled: TOO_MANY_REQUESTS,
  auth: UNAUTHORIZED,
  invalidRequest: INVALID_IMAGE,
  transient: SERVER_ERROR,
} as const satisfies Record<string, DoError>;

export type FakeFailure = keyof typeof INJECTABLE;
