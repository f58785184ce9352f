/**
 * The AWS Price List Query API's GetProducts over its own wire protocol (AWS JSON 1.1: `POST /`,
 * `X-Amz-Target: AWSPriceListService.GetProducts`, JSON body, errors as `{"__type", "Message"}`),
 * from its API reference
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html):
 * ServiceCode, Filters (TERM_MATCH, EQUALS, CONTAINS, ANY_OF, NONE_OF on ServiceCode, productFamily
 * or any product attribute), FormatVersion aws_v1, MaxResults 1–100, and an opaque NextToken bound
 * to the query it continues. Served by the EC2 front (aws-front.ts) on requests carrying that target.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const TARGET_PREFIX = 'AWSPriceListService.';
const FILTER_TYPES = ['TERM_MATCH', 'EQUALS', 'CONTAINS', 'ANY_OF', 'NONE_OF'] as const;
type FilterType = (typeof FILTER_TYPES)[number];

interface Filter {
  readonly Type: FilterType;
  readonly Field: string;
  readonly Value: string;
}

export interface FakePriceList {
  /** Whether a request is for this API (its X-Amz-Target), so the front sends it here. */
  serves(target: string | undefined): boolean;
  handle(target: string, body: Buffer, res: ServerResponse): void;
  /** Replace the products served. */
  setProducts(products: readonly Record<string, unknown>[]): void;
  /** While down, every call fails as an outage does (HTTP 500 InternalErrorException). */
  setDown(down: boolean): void;
  /** GetProducts calls answered so far, successful or not. */
  readonly calls: number;
}

class ApiError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': String(Buffer.byteLength(text)),
      'x-amzn-requestid': createHash('sha256').update(`${Date.now()}${Math.random()}`).digest('hex').slice(0, 36),
      ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
    })
    .end(text);
}

function fieldOf(product: Record<string, unknown>, field: string): string | undefined {
  const p = product.product as { productFamily?: string; attributes?: Record<string, string> } | undefined;
  if (field === 'ServiceCode') return product.serviceCode as string | undefined;
  if (field === 'productFamily') return p?.productFamily;
  return p?.attributes?.[field];
}

function matches(product: Record<string, unknown>, f: Filter): boolean {
  const value = fieldOf(product, f.Field);
  const listed = f.Value.split(',').map((v) => v.trim());
  switch (f.Type) {
    case 'TERM_MATCH':
    case 'EQUALS':
      return value === f.Value;
    case 'CONTAINS':
      return value?.includes(f.Value) ?? false;
    case 'ANY_OF':
      return value !== undefined && listed.includes(value);
    case 'NONE_OF':
      return value === undefined || !listed.includes(value);
  }
}

function parseFilters(raw: unknown): Filter[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new ApiError(400, 'InvalidParameterException', 'Filters must be a list');
  return raw.map((f: unknown, i) => {
    const { Type, Field, Value } = (f ?? {}) as Record<string, unknown>;
    if (typeof Type !== 'string' || !(FILTER_TYPES as readonly string[]).includes(Type)) {
      throw new ApiError(400, 'InvalidParameterException', `Filters.${i + 1}.Type ${JSON.stringify(Type)} is not one of ${FILTER_TYPES.join(', ')}`);
    }
    if (typeof Field !== 'string' || Field === '' || typeof Value !== 'string') throw new ApiError(400, 'InvalidParameterException', `Filters.${i + 1} needs a Field and a Value`);
    return { Type: Type as FilterType, Field, Value };
  });
}

/** The continuation token of `query` at `offset`: opaque to the client, refused for any other query. */
function tokenFor(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: createHash('sha256').update(query).digest('hex').slice(0, 16), o: offset })).toString('base64');
}

function offsetOf(token: unknown, query: string): number {
  if (token === undefined || token === null) return 0;
  const refused = new ApiError(400, 'InvalidNextTokenException', 'The pagination token is invalid. Try again without a pagination token.');
  if (typeof token !== 'string') throw refused;
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown }).o;
  } catch {
    throw refused;
  }
  if (typeof offset !== 'number' || tokenFor(query, offset) !== token) throw refused;
  return offset;
}

function getProducts(products: readonly Record<string, unknown>[], body: Buffer): unknown {
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    throw new ApiError(400, 'SerializationException', 'the request body is not JSON');
  }
  const { ServiceCode, FormatVersion, MaxResults, NextToken } = input;
  if (typeof ServiceCode !== 'string' || ServiceCode === '') throw new ApiError(400, 'InvalidParameterException', 'ServiceCode is required');
  if (FormatVersion !== undefined && FormatVersion !== 'aws_v1') throw new ApiError(400, 'InvalidParameterException', `FormatVersion ${JSON.stringify(FormatVersion)} is not aws_v1`);
  const size = MaxResults === undefined ? 100 : Number(MaxResults);
  if (!Number.isInteger(size) || size < 1 || size > 100) throw new ApiError(400, 'InvalidParameterException', `MaxResults ${String(MaxResults)} is not between 1 and 100`);
  const filters = parseFilters(input.Filters);
  const query = JSON.stringify({ ServiceCode, filters });
  const offset = offsetOf(NextToken, query);
  const found = products.filter((p) => p.serviceCode === ServiceCode && filters.every((f) => matches(p, f)));
  const page = found.slice(offset, offset + size);
  const next = offset + size < found.length ? tokenFor(query, offset + size) : undefined;
  return { FormatVersion: 'aws_v1', PriceList: page.map((p) => JSON.stringify(p)), ...(next === undefined ? {} : { NextToken: next }) };
}

export function fakePriceList(initial: readonly Record<string, unknown>[] = []): FakePriceList {
  let products = [...initial];
  let down = false;
  let calls = 0;
  return {
    serves: (target) => target?.startsWith(TARGET_PREFIX) ?? false,
    handle(target, body, res) {
      calls++;
      try {
        if (down) throw new ApiError(500, 'InternalErrorException', 'An error on the server occurred during the processing of your request. Try again later.');
        if (target !== `${TARGET_PREFIX}GetProducts`) throw new ApiError(400, 'UnknownOperationException', `${target} is not an operation this fake serves`);
        send(res, 200, getProducts(products, body));
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        send(res, err.status, { __type: err.type, Message: err.message }, err.type);
      }
    },
    setProducts(next) {
      products = [...next];
    },
    setDown(value) {
      down = value;
    },
    get calls() {
      return calls;
    },
  };
}
