export { DumpError, ImportRefusedError } from './dump-errors.js';
export { DUMP_FORMAT, DUMP_VERSION, makeDump, parseDump, renderDump, StateDump, type CheckedDump } from './state-dump.js';
