// `polyfleet crush explain`: the full trace of one mapping, as text or JSON.

import { explainMapping, formatExplanation } from '../../placement/index.js';
import type { CommandIo } from '../command.js';
import { integerValue, MAX_U32, optionalFlag, parseFlags, requiredFlag } from './flags.js';
import { loadMapper, readU32Array, ruleFlag } from './inputs.js';
import { MAX_RESULT } from './map-subcommand.js';
import type { CrushSubcommand } from './subcommand.js';

const USAGE = `polyfleet crush explain --map FILE --rule N --result-max M --x X [--reweights FILE] [--json]

  Maps one x and prints why it went where it did: every step with its input and output,
  every bucket visited with each item's draw (u = hash & 0xffff, draw = (crush_ln(u) - 2^48) / weight),
  collisions and rejections with the try they happened on, and the result.

  --map FILE          the CRUSH map, crush-testmap-v1 JSON
  --rule N            the rule id
  --result-max M      the most items the result may hold, 0..${MAX_RESULT}
  --x X               the input, a u32
  --reweights FILE    device weights by device id, a JSON array of u32 (65536 = in, 0 = out)
  --json              print the trace as JSON instead of text
`;

export const explainSubcommand: CrushSubcommand = {
  name: 'explain',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const flags = parseFlags(argv, ['map', 'rule', 'result-max', 'x', 'reweights'], ['json']);
    if (flags['help'] === true) {
      io.stdout(USAGE);
      return 0;
    }
    const x = integerValue('x', requiredFlag(flags, 'x'), 0, MAX_U32);
    const resultMax = integerValue('result-max', requiredFlag(flags, 'result-max'), 0, MAX_RESULT);
    const mapper = await loadMapper(requiredFlag(flags, 'map'));
    const rule = ruleFlag(mapper, requiredFlag(flags, 'rule'));
    const reweightsFile = optionalFlag(flags, 'reweights');
    const reweights = reweightsFile === undefined ? undefined : await readU32Array('reweights', reweightsFile);
    const explanation = explainMapping(mapper, rule, x, resultMax, reweights);
    io.stdout(flags['json'] === true ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation));
    return 0;
  },
};
