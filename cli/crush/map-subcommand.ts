// `polyfleet crush map`: crush_do_rule over many x, printed as one JSON array of arrays.

import type { CommandIo } from '../command.js';
import { integerValue, optionalFlag, parseFlags, requiredFlag, UsageError } from './flags.js';
import { loadMapper, parseXRange, readU32Array, ruleFlag } from './inputs.js';
import type { CrushSubcommand } from './subcommand.js';

export const MAX_RESULT = 1024;
const ROWS_PER_WRITE = 4096;

const USAGE = `polyfleet crush map --map FILE --rule N --result-max M (--x START:COUNT | --x-file FILE) [--reweights FILE]

  Maps each x with rule N exactly as Ceph's crush_do_rule does and prints one JSON array
  holding each x's result, in order; indep holes are 2147483647 (CRUSH_ITEM_NONE).

  --map FILE          the CRUSH map, crush-testmap-v1 JSON
  --rule N            the rule id
  --result-max M      the most items a result may hold, 0..${MAX_RESULT}
  --x START:COUNT     map x = START, START+1, …, START+COUNT-1 (u32)
  --x-file FILE       map the x values of a JSON array of u32, in its order
  --reweights FILE    device weights by device id, a JSON array of u32 (65536 = in, 0 = out,
                      between: in for that share of inputs; ids past its end are out);
                      default: every device in
`;

export const mapSubcommand: CrushSubcommand = {
  name: 'map',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const flags = parseFlags(argv, ['map', 'rule', 'result-max', 'x', 'x-file', 'reweights']);
    if (flags['help'] === true) {
      io.stdout(USAGE);
      return 0;
    }
    const xRange = optionalFlag(flags, 'x');
    const xFile = optionalFlag(flags, 'x-file');
    if ((xRange === undefined) === (xFile === undefined)) throw new UsageError('give exactly one of --x START:COUNT and --x-file FILE');
    const range = xRange === undefined ? undefined : parseXRange(xRange);
    const resultMax = integerValue('result-max', requiredFlag(flags, 'result-max'), 0, MAX_RESULT);
    const mapper = await loadMapper(requiredFlag(flags, 'map'));
    const rule = ruleFlag(mapper, requiredFlag(flags, 'rule'));
    const reweightsFile = optionalFlag(flags, 'reweights');
    const reweights = reweightsFile === undefined ? undefined : await readU32Array('reweights', reweightsFile);
    const xs = xFile === undefined ? undefined : await readU32Array('x-file', xFile);
    const count = xs?.length ?? range?.count ?? 0;
    const xAt = (i: number) => xs?.[i] ?? (range?.start ?? 0) + i;

    const result = new Int32Array(resultMax);
    let rows: string[] = [];
    let separator = '';
    io.stdout('[');
    for (let i = 0; i < count; i++) {
      const n = mapper.doRule(rule, xAt(i), resultMax, result, reweights);
      rows.push(`[${result.subarray(0, n).join(',')}]`);
      if (rows.length === ROWS_PER_WRITE || i === count - 1) {
        io.stdout(separator + rows.join(','));
        separator = ',';
        rows = [];
      }
    }
    io.stdout(']\n');
    return 0;
  },
};
