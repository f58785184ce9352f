import type { Subcommand } from '../shared/command-group.js';

/** One verb of `polyfleet crush`. */
export type CrushSubcommand = Subcommand;
