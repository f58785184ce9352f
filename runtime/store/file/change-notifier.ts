import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';

export interface ChangeNotifier {
  close(): void;
}

/**
 * Calls `onChange` soon after another process may have written the state file: on an fs.watch
 * event for it (its directory is watched, since compaction renames a new file over it), and every
 * `pollMs` in case fs.watch misses one (network filesystems, some containers). `onChange` must be
 * cheap when nothing changed: it is a stat.
 */
export function notifyChanges(path: string, pollMs: number, onChange: () => void, logger: Logger): ChangeNotifier {
  const name = basename(path);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), (_event, filename) => {
      if (filename === null || filename === name) onChange();
    });
    watcher.on('error', (err) => {
      logger.warn({ err, path }, 'stopped watching the state file directory; polling only');
      watcher?.close();
    });
  } catch (err) {
    logger.warn({ err, path }, 'cannot watch the state file directory; polling only');
  }
  // Both keep the process alive while the store is open, as a watch's connection would: a process
  // that only waits for changes must not exit (close the store to let it).
  const poll = setInterval(onChange, pollMs);
  return {
    close: () => {
      clearInterval(poll);
      watcher?.close();
    },
  };
}
