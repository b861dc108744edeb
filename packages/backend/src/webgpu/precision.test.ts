import { describe, expect, it } from 'vitest';
import { withDawnToggles } from '../backends/webgpu';
import { hoistDirectives } from './gpu-device';
import { chooseGemmPath, type GemmCapabilities } from './precision';

const H100: GemmCapabilities = {
  shaderF16: true,
  subgroupMatrix: true,
  subgroupMatrixConfigs: [
    { componentType: 'f16', resultComponentType: 'f16', M: 16, N: 16, K: 16 },
    { componentType: 'f16', resultComponentType: 'f32', M: 16, N: 8, K: 16 },
    { componentType: 'f16', resultComponentType: 'f32', M: 16, N: 16, K: 16 },
  ],
  subgroupMinSize: 32,
  subgroupMaxSize: 32,
  workgroupStorage: 49152,
  maxInvocations: 1024,
  subgroupMatrixFailure: null,
  subgroupMatrixSpelling: 'template',
};
const LAVAPIPE: GemmCapabilities = {
  ...H100,
  subgroupMatrix: false,
  subgroupMatrixConfigs: [],
  subgroupMinSize: 8,
  subgroupMaxSize: 8,
  workgroupStorage: 32768,
};

describe('chooseGemmPath', () => {
  it('tensor cores where subgroup matrices offer 16×16×16 f16→f32 at a fixed subgroup size', () => {
    expect(chooseGemmPath('mixed', H100, 'webgpu').gemm).toBe('f16-subgroup-matrix');
    expect(chooseGemmPath('mixed', { ...H100, subgroupMinSize: 16 }, 'webgpu').gemm).toBe('f16');
    const only16x8 = { ...H100, subgroupMatrixConfigs: H100.subgroupMatrixConfigs.slice(0, 2) };
    expect(chooseGemmPath('mixed', only16x8, 'webgpu').reason).toMatch(/no 16×16×16 f16→f32/);
    // A device whose builtins failed @th's check at creation runs the tiled f16 kernel.
    const failed = { ...H100, subgroupMatrixFailure: 'the WGSL did not compile: x' };
    expect(chooseGemmPath('mixed', failed, 'webgpu')).toMatchObject({ gemm: 'f16' });
    expect(chooseGemmPath('mixed', failed, 'webgpu').reason).toMatch(
      /check of them failed: the WGSL/,
    );
  });

  it('tiled f16 with only shader-f16; f32 without it, on other backends, or when f32 is asked', () => {
    expect(chooseGemmPath('mixed', LAVAPIPE, 'webgpu')).toMatchObject({
      requested: 'mixed',
      gemm: 'f16',
    });
    const noF16 = chooseGemmPath('mixed', { ...LAVAPIPE, shaderF16: false }, 'webgpu');
    expect(noF16.gemm).toBe('f32');
    expect(noF16.reason).toMatch(/vulkan_enable_f16_on_nvidia/);
    expect(chooseGemmPath('mixed', null, 'wasm')).toMatchObject({ gemm: 'f32' });
    expect(chooseGemmPath('mixed', null, 'wasm').reason).toMatch(/backend wasm has no f16/);
    expect(chooseGemmPath('f32', H100, 'webgpu').gemm).toBe('f32');
  });
});

describe('Dawn toggles and WGSL directives', () => {
  it('adds the f16 toggles to an existing enable-dawn-features entry, once', () => {
    expect(withDawnToggles([], ['a', 'b'])).toEqual(['enable-dawn-features=a,b']);
    expect(withDawnToggles(['backend=vulkan', 'enable-dawn-features=x,a'], ['a', 'b'])).toEqual([
      'backend=vulkan',
      'enable-dawn-features=x,a,b',
    ]);
    // The profiling toggle goes into its own disable entry, beside the enable one.
    expect(
      withDawnToggles(['enable-dawn-features=a', 'disable-dawn-features=y'], ['q'], 'disable'),
    ).toEqual(['enable-dawn-features=a', 'disable-dawn-features=y,q']);
  });

  it('hoists enable/diagnostic directives above the program header, once each', () => {
    const code = 'struct U { x: f32 };\nenable f16;\nfn f() {}\n  enable f16;\nenable subgroups;\n';
    expect(hoistDirectives(code)).toBe(
      'enable f16;\nenable subgroups;\nstruct U { x: f32 };\n\nfn f() {}\n\n\n',
    );
    expect(hoistDirectives('fn main() { let enabled = 1; }')).toBe(
      'fn main() { let enabled = 1; }',
    );
  });
});
