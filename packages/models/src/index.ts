export * from './checkpoint/safetensors';
export * from './checkpoint/checkpoint';
export * from './checkpoint/match-state';
