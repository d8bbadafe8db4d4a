export { Simulation, simulatePosts, type SimulationProgress } from './simulation.ts';
export { writeSimulation, type SimulationSummary, type WriteSimulationSettings } from './simulation-writer.ts';
export {
  SimOptionsSchema,
  BackgroundOptionsSchema,
  HardCasesOptionsSchema,
  CampaignsOptionsSchema,
  TruthOptionsSchema,
  MacronleaksOptionsSchema,
  SimScenarios,
  SimLanguages,
  CampaignStyles,
  HardCaseKinds,
  resolveSimOptions,
  type SimOptions,
  type SimOptionsInput,
  type ResolvedSimOptions,
  type SimScenario,
  type CampaignStyle,
  type HardCaseKind,
} from './options.ts';
export {
  TruthSchema,
  TruthCampaignSchema,
  TruthHardCaseSchema,
  TruthBurstSchema,
  MacronleaksFiguresSchema,
  type Truth,
  type TruthCampaign,
  type TruthHardCase,
  type TruthBurst,
  type MacronleaksFigures,
} from './truth.ts';
export { macronleaksScenario, MACRONLEAKS_TIMELINE } from './macronleaks-scenario.ts';
export { SeededRandom } from './seeded-random.ts';
