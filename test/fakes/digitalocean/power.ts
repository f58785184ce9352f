import type { FakeDigitalOcean } from './fake-digitalocean.js';

/**
 * A power action on a droplet through the fake's REST API, as a person or another tool would:
 * POST /v2/droplets/{id}/actions `{type}`, then GET /v2/actions/{id} until the action is
 * completed (as `doctl compute droplet-action power-off --wait` does). DigitalOcean shows no
 * status while a droplet powers off (it stays `active`), so only a completed action is a stop the
 * adapter can see. Rejects if the API refuses the action or it errors.
 */
export async function powerAction(fake: FakeDigitalOcean, dropletId: string, type: 'power_off' | 'shutdown' | 'power_on', timeoutMs = 10_000): Promise<void> {
  const headers = { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' };
  const started = await fetch(`${fake.endpoint}/v2/droplets/${dropletId}/actions`, { method: 'POST', headers, body: JSON.stringify({ type }) });
  if (started.status !== 201) throw new Error(`${type} of droplet ${dropletId} answered ${started.status}: ${await started.text()}`);
  const { action } = (await started.json()) as { action: { id: number; status: string } };
  const deadline = Date.now() + timeoutMs;
  for (let status = action.status; status !== 'completed'; ) {
    if (status === 'errored' || Date.now() > deadline) throw new Error(`${type} of droplet ${dropletId}: action ${action.id} is ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const read = await fetch(`${fake.endpoint}/v2/actions/${action.id}`, { headers });
    status = ((await read.json()) as { action: { status: string } }).action.status;
  }
}
