/**
 * Test helpers shared by every @th package (`@th/backend/test`): run suites per backend, check
 * first and nested gradients (w.r.t. inputs and variables) against finite differences, and
 * detect tensor leaks.
 */
export { describeBackends, testBackends } from './describe-backends';
export type { ScalarFn } from './finite-diff';
export {
  directionalDerivative,
  randomDirections,
  relativeError,
  vectorRelativeError,
} from './finite-diff';
export type { FormulaWeight, WeightSpec } from './formula-weights';
export { formulaWeights } from './formula-weights';
export { checkGradient, checkNestedGradient } from './gradient-check';
export type { GradientCheck, GradientCheckOptions } from './gradient-check-types';
export { NETWORK_STEP } from './gradient-check-types';
export { tensorsLeakedPerRun } from './memory';
export type { ElementMismatch, NumericGradientOptions } from './numeric-gradient';
export { numericGradient } from './numeric-gradient';
export { checkScalars, randomVariable, randomWeights } from './probe-scalars';
