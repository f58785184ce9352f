/** Where `polyfleet` keeps its state when no --state is given, relative to the working directory. */
export const DEFAULT_STATE_PATH = '.polyfleet/state.jsonl';
