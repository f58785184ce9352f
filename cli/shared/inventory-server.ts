import { mountInventoryApi, storeInventoryBackend } from '../../inventory/index.js';
import { Router, startHttpServer, type HttpServer } from '../../runtime/http/index.js';
import type { Logger } from '../../runtime/log.js';
import type { Store } from '../../runtime/store/index.js';
import { CommandFailure } from './command-runner.js';
import { INVENTORY_ADDR_FLAG, type InventoryServerOptions } from './inventory-flags.js';

/** The inventory REST API (/v1/…) on its own address, reading `store` per request. */
export async function startInventoryServer(store: Store, options: InventoryServerOptions, log: Logger): Promise<HttpServer> {
  const router = new Router(log.child({ component: 'inventory-api' }));
  const api = mountInventoryApi(router, { backend: storeInventoryBackend(store, options.sources), access: options.access, log: log.child({ component: 'inventory-api' }) });
  try {
    const server = await startHttpServer({ what: 'the inventory API', host: options.host, port: options.port, ...(options.tls === undefined ? {} : { tls: options.tls }), handle: (req, res) => router.handle(req, res), log });
    return {
      host: server.host,
      port: server.port,
      url: server.url,
      close: async () => {
        api.stop();
        await server.close();
      },
    };
  } catch (e) {
    api.stop();
    throw new CommandFailure(`${(e as Error).message}; pass ${INVENTORY_ADDR_FLAG} HOST:PORT (port 0 picks a free one) or ${INVENTORY_ADDR_FLAG} off`);
  }
}
