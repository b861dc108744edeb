/**
 * Test helpers shared by every @th package (`@th/backend/test`): run suites per backend, check
 * first and nested gradients against finite differences, and detect tensor leaks.
 */
export { describeBackends, testBackends } from './describe-backends';
export { tensorsLeakedPerRun } from './memory';
