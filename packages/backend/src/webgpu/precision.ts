import type { MatrixSpelling } from './gemm-matrix-shader';

/**
 * Mixed precision for @th's GEMM kernels (Conv2D, both convolution backprops, BatchMatMul).
 *
 * tfjs-core has no float16 dtype, so tensors stay float32 in memory. Under `mixed`, the GEMM
 * kernels round each operand element to f16 as they stage it in workgroup memory and accumulate
 * the products in f32: on the tensor cores through WebGPU subgroup matrices (16×16×16, f16
 * operands, f32 result) where the device offers them, else in a tiled kernel whose workgroup
 * tiles are f16 and whose FMAs are f32 (a product of two f16 values is exact in f32, so both
 * paths compute the same sums up to summation order). Everything that is not a GEMM (instance
 * norm statistics, softmax, reductions, losses, the R1/R2 penalties, Adam) runs tfjs' or @th's
 * f32 kernels unchanged. See docs/design.md#mixed-precision.
 *
 * An operand element beyond f16's range (|x| > 65504) becomes ±Inf when rounded (IEEE
 * round-to-nearest; checked on lavapipe by a test, and on the GPU by the device script), so
 * the GEMM's result is not finite and @th/train's one finite check sees the overflow.
 */

/** What the user asks for. */
export type Precision = 'f32' | 'mixed';

/** Which GEMM kernels run. */
export type GemmPath = 'f32' | 'f16' | 'f16-subgroup-matrix';

export interface PrecisionReport {
  requested: Precision;
  gemm: GemmPath;
  /**
   * Whether convolution filters and matmul right-hand operands (the weights, in a forward pass)
   * enter the f16 GEMMs as two f16 terms, hi + lo (see `PrecisionOptions.splitWeights`).
   */
  splitWeights: boolean;
  /** One line saying which path runs and why (init logs it). */
  reason: string;
}

export interface PrecisionOptions {
  /**
   * Under 'mixed': round only the activations to f16 and keep the weights at near-f32
   * accuracy, as w = hi + lo with both parts f16 (two f16 products on the tensor cores; an exact
   * f32 tile in the tiled kernel) in Conv2D and BatchMatMul, where the right-hand operand is the
   * weight in a forward pass. Rounding the weights is what moves a network's output most (a
   * fixed perturbation every pixel sees; docs/design.md#mixed-precision has the numbers), so
   * @th/infer turns this on for inference; training leaves it off (AMP semantics: every operand
   * f16, half the tensor-core work of the forward GEMMs). Default false.
   */
  splitWeights?: boolean;
}

/** One `GPUSubgroupMatrixConfig` the adapter offers. */
export interface SubgroupMatrixConfig {
  componentType: string;
  resultComponentType: string;
  M: number;
  N: number;
  K: number;
}

/** What a WebGPU device can do for the GEMM kernels (recorded when @th creates the device). */
export interface GemmCapabilities {
  shaderF16: boolean;
  subgroupMatrix: boolean;
  subgroupMatrixConfigs: readonly SubgroupMatrixConfig[];
  subgroupMinSize: number | null;
  subgroupMaxSize: number | null;
  /** Bytes of workgroup memory a shader may use. */
  workgroupStorage: number;
  /** Invocations per workgroup. */
  maxInvocations: number;
  /**
   * Why @th's check of the subgroup-matrix builtins on this device failed (they did not compile
   * or computed a wrong product; subgroup-matrix-probe.ts), or null (passed, or not offered).
   */
  subgroupMatrixFailure: string | null;
  /** The spelling of the builtins that passed that check (null where it failed or did not run). */
  subgroupMatrixSpelling: MatrixSpelling | null;
}

/** The one subgroup-matrix shape the tensor-core kernel is written for. */
export const MATRIX_SHAPE = { m: 16, n: 16, k: 16 } as const;

/** Subgroup sizes the tensor-core kernel is generated for (threads = subgroups × size). */
const SUBGROUP_SIZES = [8, 16, 32, 64, 128];

/**
 * The GEMM path for a request on a device: subgroup matrices when the device offers the
 * 16×16×16 f16 → f32 shape with one fixed subgroup size, else tiled f16 when it offers
 * `shader-f16`, else f32. `caps` null: not a WebGPU backend (`backend` names it).
 */
export function chooseGemmPath(
  requested: Precision,
  caps: GemmCapabilities | null,
  backend: string,
  options: PrecisionOptions = {},
): PrecisionReport {
  if (requested === 'f32')
    return {
      requested,
      gemm: 'f32',
      splitWeights: false,
      reason: 'f32 everywhere (precision f32)',
    };
  const f32 = (why: string): PrecisionReport => ({
    requested,
    gemm: 'f32',
    splitWeights: false,
    reason: `GEMMs in f32: ${why}; dynamic loss scaling still applies in training`,
  });
  if (!caps)
    return f32(
      backend === 'webgpu'
        ? "the WebGPU device was made by tfjs-webgpu's own factory (the app imported tfjs-webgpu where @th could not), without shader-f16"
        : `backend ${backend} has no f16 kernels`,
    );
  if (!caps.shaderF16)
    return f32(
      "the WebGPU device has no 'shader-f16' (on NVIDIA through Dawn it needs the toggles allow_unsafe_apis,vulkan_enable_f16_on_nvidia, which init adds when it creates the GPU object with precision mixed)",
    );
  const splitWeights = options.splitWeights === true;
  const operands = splitWeights
    ? 'activations rounded to f16, weights as two f16 terms (hi + lo)'
    : 'every operand rounded to f16';
  const rest = `${operands}, f32 accumulation; tensors, instance-norm statistics, softmax, losses, R1/R2 reductions and Adam in f32`;
  const size = fixedSubgroupSize(caps);
  if (
    caps.subgroupMatrix &&
    hasMatrixShape(caps.subgroupMatrixConfigs) &&
    size !== null &&
    !caps.subgroupMatrixFailure
  )
    return {
      requested,
      gemm: 'f16-subgroup-matrix',
      splitWeights,
      reason: `GEMMs on the tensor cores: f16 subgroup matrices ${MATRIX_SHAPE.m}×${MATRIX_SHAPE.n}×${MATRIX_SHAPE.k} (subgroup size ${size}), ${rest}`,
    };
  const why = !caps.subgroupMatrix
    ? "no 'chromium-experimental-subgroup-matrix'"
    : !hasMatrixShape(caps.subgroupMatrixConfigs)
      ? 'no 16×16×16 f16→f32 subgroup-matrix shape'
      : size === null
        ? 'the subgroup size is not fixed'
        : `subgroup matrices offered, but @th's check of them failed: ${caps.subgroupMatrixFailure}`;
  return {
    requested,
    gemm: 'f16',
    splitWeights,
    reason: `GEMMs in tiled f16 (shader-f16; ${why}), ${rest}`,
  };
}

function hasMatrixShape(configs: readonly SubgroupMatrixConfig[]): boolean {
  return configs.some(
    (c) =>
      c.componentType === 'f16' &&
      c.resultComponentType === 'f32' &&
      c.M === MATRIX_SHAPE.m &&
      c.N === MATRIX_SHAPE.n &&
      c.K === MATRIX_SHAPE.k,
  );
}

/** The subgroup size when the adapter has exactly one (the kernel maps lanes by it), else null. */
export function fixedSubgroupSize(caps: GemmCapabilities): number | null {
  const { subgroupMinSize: lo, subgroupMaxSize: hi } = caps;
  return lo !== null && lo === hi && SUBGROUP_SIZES.includes(lo) ? lo : null;
}

/** How a backend instance runs its GEMMs. */
export interface GemmMode {
  path: GemmPath;
  splitWeights: boolean;
}

const modes = new WeakMap<object, GemmMode>();

/** Select the GEMM mode of a backend instance. */
export function setGemmMode(backend: object, mode: GemmMode): void {
  modes.set(backend, mode);
}

/** The GEMM mode of a backend instance (f32 unless mixed precision selected another). */
export function gemmModeOf(backend: object): GemmMode {
  return modes.get(backend) ?? { path: 'f32', splitWeights: false };
}
