/**
 * Test helpers shared by every @th package (`@th/backend/test`): run suites per backend, check
 * first and nested gradients against finite differences, and detect tensor leaks.
 */
export { describeBackends, testBackends } from './describe-backends';
export type { FiniteDiffOptions, GradientCheck, ScalarFn } from './finite-diff';
export {
  checkGradient,
  checkNestedGradient,
  directionalDerivative,
  randomDirections,
  relativeError,
  vectorRelativeError,
} from './finite-diff';
export { tensorsLeakedPerRun } from './memory';
