/**
 * fast-check run settings: a fixed seed so every run of the suite is the same (set
 * FC_SEED to explore other seeds).
 */
export const propertyOptions = { seed: Number(process.env['FC_SEED'] ?? 20_261_124), numRuns: 200 };
