export { CRD_KINDS, type CrdKind, type PrinterColumn } from './crd-kinds.js';
export { buildCrd } from './build-crd.js';
export { structuralProblems, toStructuralSchema, type JsonSchema } from './openapi-schema.js';
