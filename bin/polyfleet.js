#!/usr/bin/env node
// Runs the TypeScript CLI in place, so `npx polyfleet` works in a checkout right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
