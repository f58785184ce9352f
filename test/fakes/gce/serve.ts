import { startFakeGce } from './index.js';

/** Runs the fake Compute Engine on its own: `npx tsx test/fakes/gce/serve.ts`; Ctrl-C stops it. */
const gce = await startFakeGce();
process.stdout.write(`${JSON.stringify({ endpoint: gce.endpoint, project: gce.project, accessToken: gce.accessToken })}\n`);
const stop = (): void => {
  gce.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
