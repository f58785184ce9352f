import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { HttpProblem } from '../runtime/http/index.js';

/** Bodies the page sends are a few bytes; anything larger is not from it. */
const MAX_BODY_BYTES = 16_384 + 1_024;

/**
 * The request's JSON body parsed by `schema`; a 400 names the field, what it must be and what was
 * sent, a 415 a body that is not JSON, a 413 one too large.
 */
export async function jsonBody<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpProblem(415, `send the body as Content-Type: application/json, not ${type === '' ? 'none' : type}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new HttpProblem(400, `the body is not JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  const sent = issue === undefined ? undefined : issue.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), value);
  throw new HttpProblem(400, `${field === '' ? 'the body' : field}: ${issue?.message ?? 'invalid'}${sent === undefined ? '' : `, got ${JSON.stringify(sent)}`}`);
}
