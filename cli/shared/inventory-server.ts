import type { IncomingMessage, ServerResponse } from 'node:http';
import { mountInventoryApi, storeInventoryBackend } from '../../inventory/index.js';
import type { EventSink } from '../../runtime/events/index.js';
import { loopbackHostProblem, Router, sendProblem, startHttpServer, type HttpServer } from '../../runtime/http/index.js';
import type { Logger } from '../../runtime/log.js';
import type { Store } from '../../runtime/store/index.js';
import { createWebView, WEB_BASE } from '../../web/index.js';
import { CommandFailure } from './command-runner.js';
import { INVENTORY_ADDR_FLAG, type InventoryServerOptions } from './inventory-flags.js';

/** The inventory server: its URL, and where on it the web view is. */
export interface InventoryServer extends HttpServer {
  /** e.g. http://127.0.0.1:8081/ui/ */
  readonly webUrl: string;
}

/**
 * The inventory REST API (/v1/…) and the live web view (/ui/) on one address, with one
 * authentication and authorization (`options.access`), reading `store` per request.
 */
export async function startInventoryServer(store: Store, options: InventoryServerOptions, log: Logger, events?: Pick<EventSink, 'list'>): Promise<InventoryServer> {
  const router = new Router(log.child({ component: 'inventory-api' }));
  const api = mountInventoryApi(router, { backend: storeInventoryBackend(store, options.sources), access: options.access, log: log.child({ component: 'inventory-api' }) });
  const web = createWebView({ store, access: options.access, ...(events === undefined ? {} : { events }) });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const misdirected = options.access.loopbackOnly === true ? loopbackHostProblem(req) : undefined;
    if (misdirected !== undefined) {
      sendProblem(res, misdirected, new URL(req.url ?? '/', 'http://localhost').pathname);
      return;
    }
    if (await web.handle(req, res)) return;
    await router.handle(req, res);
  };
  let server: HttpServer;
  try {
    server = await startHttpServer({ what: 'the inventory API', host: options.host, port: options.port, ...(options.tls === undefined ? {} : { tls: options.tls }), handle, log });
  } catch (e) {
    web.close();
    api.stop();
    throw new CommandFailure(`${(e as Error).message}; pass ${INVENTORY_ADDR_FLAG} HOST:PORT (port 0 picks a free one) or ${INVENTORY_ADDR_FLAG} off`);
  }
  return {
    ...server,
    webUrl: `${server.url}${WEB_BASE}`,
    close: async () => {
      web.close();
      api.stop();
      await server.close();
    },
  };
}
