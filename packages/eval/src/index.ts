// @th/eval (Node): the FSTH evaluation protocol on a prepared dataset and the th-eval CLI. It
// composes @th/infer (subjects, fine-tuning, rendering) and @th/metrics (the metrics and report),
// so that @th/metrics itself never depends on a model.
export type { ThEvalBackends } from './cli/th-eval-run';
export { runThEval, TH_EVAL_USAGE } from './cli/th-eval-run';
export { copyFirstFrame, sourceMeanFrame } from './protocol/baseline-frames';
export { meanAbsoluteError } from './protocol/l1';
export {
  DEFAULT_KS,
  parseKList,
  parseSettings,
  planSettings,
  SETTING_DIRS,
} from './protocol/protocol-plan';
export type { ProtocolRecord, SettingRun } from './protocol/protocol-record';
export type { ProtocolSettingSummary } from './protocol/protocol-report';
export { appendProtocolReport, summarizeProtocol } from './protocol/protocol-report';
export type { ProtocolOptions, ProtocolResult } from './protocol/run-protocol';
export { runProtocol } from './protocol/run-protocol';
export type { ShotColourTransfer } from './protocol/shot-colour-transfer';
export { shotColourTransfer } from './protocol/shot-colour-transfer';
