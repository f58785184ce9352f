// examples/multicloud without a cloud account: starts moto, the fake Compute Engine and the fake
// DigitalOcean, writes a copy of the example pointed at them with ${env.…} credential references,
// and the environment those read. Ctrl-C stops the clouds.
//   npx tsx test/fakes/serve-clouds.ts [DIR]        (default .polyfleet/multicloud)
//   . DIR/env.sh && npx polyfleet run -f DIR/manifests
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeMulticloudCopy } from '../integration/fixtures/multicloud.js';
import { startCloudEndpoints } from './cloud-endpoints.js';

const dir = resolve(process.argv[2] ?? '.polyfleet/multicloud');
const endpoints = await startCloudEndpoints();
const manifests = writeMulticloudCopy(endpoints, 'env', join(dir, 'manifests'));
// Test credentials of test servers on loopback: nothing secret to keep out of a file.
const exports = Object.entries(endpoints.env).map(([name, value]) => `export ${name}='${value}'\n`);
writeFileSync(join(dir, 'env.sh'), exports.join(''));
process.stdout.write(
  `aws ${endpoints.clouds.aws.endpoint}, gcp ${endpoints.clouds.gcp.endpoint}, digitalocean ${endpoints.clouds.digitalocean.endpoint}\n` +
    `in another terminal: . ${join(dir, 'env.sh')} && npx polyfleet run -f ${manifests}\n`,
);
const stop = (): void => {
  endpoints.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
