import { beforeAll } from 'vitest';
import { init } from '../init';
import { hostFusedSuite } from './host-fused-suite';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

hostFusedSuite('cpu');
