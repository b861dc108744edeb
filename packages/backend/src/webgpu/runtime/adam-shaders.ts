/** Threads per workgroup of the multi-tensor Adam kernels. */
export const ADAM_WORKGROUP = 256;

/**
 * The Adam update over one bound window of the flat arrays (θ, g, m, v), Keras' form with
 * element-wise clipping, the gradient first multiplied by `gradScale` (1, or 1/loss scale under
 * mixed precision: a power of two, so exact); the same operations in the same order as the per-variable tfjs ops.
 * Clipping uses comparisons (not `clamp`) so a NaN stays NaN, as in tfjs.
 */
export const ADAM_UPDATE_WGSL = adamUpdateWgsl(false);

/**
 * The same update for steps replayed without the CPU (captured training steps): the step size
 * and gradient scale come from a storage buffer the graph fills (`control`: [stepSize,
 * gradScale]) instead of the uniform, and the whole update is skipped, θ, m and v unchanged,
 * unless the `gate` word is 0 (the count of non-finite gradient elements and loss terms the
 * graph computed): the finite check's CPU branch, moved onto the GPU.
 */
export const ADAM_GATED_UPDATE_WGSL = adamUpdateWgsl(true);

function adamUpdateWgsl(gated: boolean): string {
  const scalars = gated
    ? `@group(0) @binding(5) var<storage, read> control: array<f32>;
@group(0) @binding(6) var<storage, read> gate: array<u32>;`
    : '';
  return /* wgsl */ `
struct Step {
  offset: u32,
  count: u32,
  stepSize: f32,
  beta1: f32,
  beta2: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
  epsilon: f32,
  clip: f32,
  useClip: u32,
  gradScale: f32,
};
@group(0) @binding(0) var<storage, read_write> theta: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<uniform> s: Step;
${scalars}

@compute @workgroup_size(${ADAM_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${ADAM_WORKGROUP}u;
  if (i >= s.count${gated ? ' || gate[0] != 0u' : ''}) {
    return;
  }
  let stepSize = ${gated ? 'control[0]' : 's.stepSize'};
  let gradScale = ${gated ? 'control[1]' : 's.gradScale'};
  let k = s.offset + i;
  var g = grad[k] * gradScale;
  if (s.useClip != 0u) {
    if (g > s.clip) {
      g = s.clip;
    } else if (g < -s.clip) {
      g = -s.clip;
    }
  }
  let mNew = m[k] * s.beta1 + g * s.oneMinusBeta1;
  let vNew = v[k] * s.beta2 + (g * g) * s.oneMinusBeta2;
  m[k] = mNew;
  v[k] = vNew;
  theta[k] = theta[k] - (mNew * stepSize) / (sqrt(vNew) + s.epsilon);
}
`;
}

/**
 * Counts the workgroups that saw a NaN or ±Inf in one bound window of the flat gradient (bit
 * test on the exponent: all ones). Adds to an existing count, so windows accumulate.
 */
export const NON_FINITE_WGSL = /* wgsl */ `
struct Range {
  offset: u32,
  count: u32,
};
@group(0) @binding(0) var<storage, read> grad: array<u32>;
@group(0) @binding(1) var<storage, read_write> badGroups: atomic<u32>;
@group(0) @binding(2) var<uniform> r: Range;
var<workgroup> seen: atomic<u32>;

@compute @workgroup_size(${ADAM_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(local_invocation_index) lid: u32,
        @builtin(num_workgroups) groups: vec3<u32>) {
  if (lid == 0u) {
    atomicStore(&seen, 0u);
  }
  workgroupBarrier();
  let i = gid.x + gid.y * groups.x * ${ADAM_WORKGROUP}u;
  if (i < r.count) {
    if ((grad[r.offset + i] & 0x7f800000u) == 0x7f800000u) {
      atomicOr(&seen, 1u);
    }
  }
  workgroupBarrier();
  if (lid == 0u && atomicLoad(&seen) != 0u) {
    atomicAdd(&badGroups, 1u);
  }
}
`;
