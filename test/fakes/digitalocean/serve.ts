// Runs the fake DigitalOcean API on its own, for trying polyfleet by hand:
//   npx tsx test/fakes/digitalocean/serve.ts
// prints the endpoint and token, then serves until interrupted.
import { startFakeDigitalOcean } from './index.js';

const fake = await startFakeDigitalOcean(process.env.POLYFLEET_FAKE_DO_TOKEN === undefined ? {} : { token: process.env.POLYFLEET_FAKE_DO_TOKEN });
process.stdout.write(`${JSON.stringify({ endpoint: fake.endpoint, token: fake.token })}\n`);
const stop = (): void => {
  fake.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
