import { Observable, type ConfigurationOptions, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * Request options that send every call made with them over one undici Agent, so connections are
 * kept alive and reused. client-node 2.0.1 builds a new Agent, hence a new TLS handshake, for
 * every request (KubeConfig.createDispatcher); reusing one made 20-in-flight creates 2–3× faster
 * here. The first request's Agent is kept: it carries the kubeconfig's CA and client certificate,
 * which do not change while the process runs; tokens go in headers, which are still set per request.
 */
export function reuseConnections(): ConfigurationOptions {
  let shared: Dispatcher | undefined;
  return {
    middlewareMergeStrategy: 'append',
    middleware: [
      {
        pre(context) {
          shared ??= context.getDispatcher();
          if (shared !== undefined) context.setDispatcher(shared);
          return new Observable(Promise.resolve(context));
        },
        post(response) {
          return new Observable(Promise.resolve(response));
        },
      },
    ],
  };
}
