// `polyfleet crush`: Ceph-compatible CRUSH mappings and their explanations.

import { CrushMapError } from '../../placement/index.js';
import { commandGroup } from '../shared/command-group.js';
import { explainSubcommand } from './explain-subcommand.js';
import { InputError } from './inputs.js';
import { mapSubcommand } from './map-subcommand.js';

export const crushCommand = commandGroup({
  name: 'crush',
  summary: 'map inputs with a CRUSH map exactly as Ceph does, and explain a mapping',
  intro: `polyfleet crush — compute CRUSH mappings exactly as Ceph does, and explain them

Maps are read in the crush-testmap-v1 JSON format: buckets with ids, types, straw2 weights in 16.16
fixed point and items, rules as Ceph's steps (test/vectors/crush/README.md in the source describes
it; test/vectors/crush/map_tree3.json is an example).`,
  subcommands: [mapSubcommand, explainSubcommand],
  isFailure: (e) => e instanceof InputError || e instanceof CrushMapError,
});
