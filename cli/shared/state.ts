import { DEFAULT_STATE_PATH, openFileStore, type FileStore } from '../../runtime/store/file/index.js';

/** The --state flag's help line, the same in every standalone command. */
export const STATE_FLAG_HELP = `  --state FILE          the state file (default ${DEFAULT_STATE_PATH}, relative to the working directory);
                        safe to share with a running \`polyfleet run\``;

export const stateOption = { state: { type: 'string', default: DEFAULT_STATE_PATH } } as const;

/** Opens the state file for the length of `use`, then closes it, whatever `use` does. */
export async function withStateFile<T>(path: string, readOnly: boolean, use: (store: FileStore) => Promise<T>): Promise<T> {
  const store = await openFileStore({ path, readOnly, ...(readOnly ? { pollIntervalMs: 0 } : {}) });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
