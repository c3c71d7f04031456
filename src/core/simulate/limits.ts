/**
 * How much work one simulation may ask for. A simulation runs synchronously (in the CLI, and on
 * the VS Code extension host's thread), so its size is bounded: `simulation.bundles` above this is
 * an invalid scenario (an `invalid-scenario` finding), never a long run or an exhausted heap.
 */
export const MAX_SIMULATION_BUNDLES = 10_000;
