export { CoordinationDetector } from './coordination-detector.ts';
export {
  CoordinationOptionsSchema,
  TextOptionsSchema,
  CopypastaOptionsSchema,
  CoActivityOptionsSchema,
  ParaphraseOptionsSchema,
  RepostRingOptionsSchema,
  SwarmOptionsSchema,
  PushOptionsSchema,
  TraitOptionsSchema,
  type CoordinationOptions,
  type CoordinationOptionsInput,
} from './options.ts';
export { TextSignatureStore, SIGNATURE_SIZE, type TextEntry } from './text-signatures.ts';
export { CopypastaIndex, type NearDuplicateGroup } from './copypasta-index.ts';
export { CoActivityTracker, countCoincidences, samplePartners, type SignificantPair } from './co-activity-tracker.ts';
export { ParaphraseLinker, type ParaphrasePairEvidence } from './paraphrase-linker.ts';
export { RepostRingTracker, type RingPairEvidence, type RepostSwarm } from './repost-ring-tracker.ts';
export { AccountBook } from './account-book.ts';
export { PairTable } from './pair-table.ts';
export { CheckpointWriter, CheckpointReader } from './checkpoint-codec.ts';
export { findPush, type PushFinding } from './push-detector.ts';
export { buildClusters, accountTraits } from './evidence-clusters.ts';
export { summarizeCluster } from './evidence-summary.ts';
export { minhashSignature, compactSignature, tokenSignature, signatureSimilarity, bandKeys } from './minhash.ts';
export { LshBuckets } from './lsh-buckets.ts';
export { scanCandidates, scannedCandidates, SCAN_MAX_TEXTS } from './signature-scan.ts';
export { TextSigner } from './text-signer.ts';
export { textTokens, textShingles } from './text-shingles.ts';
export { log10PoissonTail } from './poisson-tail.ts';
export { hash32, stableId } from './seeded-hash.ts';
export { SignalNames, type SignalName, type ScoredCluster, type ClusterFacts, type EvidenceLink } from './types.ts';
