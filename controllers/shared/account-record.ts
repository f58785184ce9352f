import type { MachineProviderAccount, ProviderAccount } from '../../api/index.js';

/** What a Machine keeps of its Strategy account: how to reach it, never its offerings, prices or regions. */
export function accountRecord(account: ProviderAccount): MachineProviderAccount {
  const { name, type, credentialsSecretRef, credentials, endpoint, project } = account;
  return {
    name,
    type,
    ...(credentialsSecretRef === undefined ? {} : { credentialsSecretRef: { ...credentialsSecretRef } }),
    ...(credentials === undefined ? {} : { credentials: { ...credentials } }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(project === undefined ? {} : { project }),
  };
}
