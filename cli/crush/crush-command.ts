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

Maps are read in the crush-testmap-v1 JSON format (see ../shared/crush-vectors/README.md).`,
  subcommands: [mapSubcommand, explainSubcommand],
  isFailure: (e) => e instanceof InputError || e instanceof CrushMapError,
});
