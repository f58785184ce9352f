import type { Machine, UserDataSecretRef } from '../../api/index.js';
import { CREDENTIALS_SECRET_TYPE, SECRET_MAX_AGE_MS, type SecretContent } from '../../runtime/secrets/index.js';
import { wrongSecretTypeMessage, type ControllerDeps } from '../shared/index.js';

/**
 * The user data an instance is created with: the Machine's inline userData, or the value its
 * userDataSecretRef names. `missing`: the Secret, the key or the type is not there yet (or there are
 * no Secrets, standalone); the message names the Secret and key, never a value, and the Machine
 * waits (USER_DATA_WAIT_MS) instead of failing, as it would for a Secret created a moment later.
 */
export type UserDataResult = { readonly kind: 'ok'; readonly userData?: string } | { readonly kind: 'missing'; readonly message: string };

/** How long a Machine whose user data is missing waits before looking again: an edited Secret is seen within this anyway. */
export const USER_DATA_WAIT_MS = SECRET_MAX_AGE_MS;

/**
 * Reads the Machine's user data at create time. The value goes to the provider's create request and
 * nowhere else: never into the Machine, a status, an event or a log line. The Secret must be of type
 * polyfleet.io/credentials, as credentials' must, so a NodePool writer who cannot read Secrets
 * cannot have any other Secret of the namespace handed to an instance they can log in to.
 */
export async function resolveUserData(deps: Pick<ControllerDeps, 'secrets'>, machine: Machine): Promise<UserDataResult> {
  const { userData, userDataSecretRef: ref } = machine.spec;
  if (ref === undefined) return userData === undefined ? { kind: 'ok' } : { kind: 'ok', userData };
  if (userData !== undefined) return missing('userData and userDataSecretRef are both set; give one of them');
  if (deps.secrets === undefined) {
    return missing(`userDataSecretRef (Secret "${ref.name}", key "${ref.key}") needs a cluster; standalone, put the user data inline in the NodePool's spec.template.userData`);
  }
  const namespace = machine.metadata.namespace ?? 'default';
  const where = `Secret ${namespace}/${ref.name}`;
  let secret: SecretContent | undefined;
  try {
    secret = await deps.secrets.read(namespace, ref.name);
  } catch (err) {
    // The reader's message names the Secret and what the API server said, never data.
    return missing(`${err instanceof Error ? err.message : `reading ${where} failed`} (userDataSecretRef); the Machine waits for it`);
  }
  if (secret === undefined) return missing(`${where} (userDataSecretRef) does not exist; the Machine waits for it: ${createCommand(ref)}`);
  if (secret.type !== CREDENTIALS_SECRET_TYPE) return missing(`${wrongSecretTypeMessage(where, 'userDataSecretRef', secret.type, createCommand(ref))}; the Machine waits for it`);
  const value = secret.data[ref.key];
  if (value === undefined) {
    const keys = Object.keys(secret.data);
    const has = keys.length === 0 ? 'no keys' : `only ${keys.map((k) => `"${k}"`).join(', ')}`;
    return missing(`${where} (userDataSecretRef) has no key "${ref.key}" (it has ${has}); the Machine waits for it`);
  }
  return { kind: 'ok', userData: value };
}

function missing(message: string): UserDataResult {
  return { kind: 'missing', message };
}

function createCommand(ref: UserDataSecretRef): string {
  return `kubectl create secret generic ${ref.name} --type=${CREDENTIALS_SECRET_TYPE} --from-file=${ref.key}=PATH`;
}
