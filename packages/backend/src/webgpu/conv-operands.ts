import type { ConvGeometry } from './conv-geometry';
import { bufferRead, type GemmOperand, uniformFields } from './gemm-operand';

/**
 * The implicit-GEMM views of a convolution's tensors (NHWC x and dy, filter [kH, kW, Cin, Cout]).
 * Index names: a pixel p = (n, oh, ow) of the output grid, a patch index q = (kh, kw, ci) (one
 * filter tap and input channel; q = (kh·kW + kw)·Cin + ci, the filter's own row order), an
 * input pixel (n, ih, iw), and t = (kh, kw, co) for the input gradient's reduction.
 */

/** The geometry as uniforms `<prefix>H`, `<prefix>W`... */
const geometryUniforms = (g: ConvGeometry, prefix: string) =>
  uniformFields(prefix, {
    H: g.inH,
    W: g.inW,
    Cin: g.inC,
    OH: g.outH,
    OW: g.outW,
    Cout: g.outC,
    KW: g.kW,
    SH: g.strideH,
    SW: g.strideW,
    DH: g.dilationH,
    DW: g.dilationW,
    PT: g.padTop,
    PL: g.padLeft,
    TapCh: g.kH * g.kW * g.inC,
    TapOut: g.kH * g.kW * g.outC,
    Pixels: g.batch * g.outH * g.outW,
    InPixels: g.batch * g.inH * g.inW,
  });

/**
 * x as the patch matrix X[p][q] = x[n, oh·sh − pt + kh·dh, ow·sw − pl + kw·dw, ci] (zero in the
 * padding): the forward conv's A (row = p, k = q) or the filter gradient's A (row = q, k = p).
 * Consecutive q are consecutive channels of one tap, so with Cin % 4 == 0 four of them are one
 * aligned vec4 of x.
 */
export function patchOperand(
  g: ConvGeometry,
  buffer: string,
  prefix: string,
  role: 'pixel-rows' | 'patch-rows',
): GemmOperand {
  const { fields, u } = geometryUniforms(g, prefix);
  const qDim = role === 'pixel-rows' ? 'k' : 'row';
  const vector = g.inC % 4 === 0 ? qDim : null;
  const zero = vector ? 'vec4<f32>(0.0)' : '0.0';
  const [p, q] = role === 'pixel-rows' ? ['row', 'k'] : ['k', 'row'];
  const body = `
  let ohw = ${u('OH')} * ${u('OW')};
  let n = ${p} / ohw;
  let pr = ${p} - n * ohw;
  let oh = pr / ${u('OW')};
  let ow = pr - oh * ${u('OW')};
  let tap = ${q} / ${u('Cin')};
  let ci = ${q} - tap * ${u('Cin')};
  let kh = tap / ${u('KW')};
  let kw = tap - kh * ${u('KW')};
  let ih = oh * ${u('SH')} - ${u('PT')} + kh * ${u('DH')};
  let iw = ow * ${u('SW')} - ${u('PL')} + kw * ${u('DW')};
  let valid = (${p} < ${u('Pixels')}) & (${q} < ${u('TapCh')}) & (ih >= 0) & (ih < ${u('H')}) &
    (iw >= 0) & (iw < ${u('W')});
  let index = select(0, ((n * ${u('H')} + ih) * ${u('W')} + iw) * ${u('Cin')} + ci, valid);
  return select(${zero}, ${bufferRead({ buffer, vector }, 'index')}, valid);`;
  return {
    buffer,
    vector,
    contiguous: qDim,
    body,
    uniforms: fields,
    key: `patch-${role}-${vector ?? 's'}`,
  };
}

/**
 * dy gathered for the input gradient: G[(n, ih, iw)][(kh, kw, co)] = dy[n, oh, ow, co] where
 * oh·sh = ih + pt − kh·dh (and likewise for w) has an integer solution inside dy, else zero.
 * This is the forward conv's adjoint written as a GEMM with K = taps·Cout (with a stride, the
 * taps it skips are zeros, not removed: LSR's convolutions are stride 1, whose shader has no
 * divisibility test at all). Vector along co.
 */
export function gradientGatherOperand(
  g: ConvGeometry,
  buffer: string,
  prefix: string,
): GemmOperand {
  const { fields, u } = geometryUniforms(g, prefix);
  const vector = g.outC % 4 === 0 ? 'k' : null;
  const strided = g.strideH !== 1 || g.strideW !== 1;
  const zero = vector ? 'vec4<f32>(0.0)' : '0.0';
  // With a stride, dy row oh feeds ih only when oh·sh = ih + pt − kh·dh exactly.
  const toOutput = strided
    ? `
  let oh = th / ${u('SH')};
  let ow = tw / ${u('SW')};
  let hit = (oh * ${u('SH')} == th) & (ow * ${u('SW')} == tw);`
    : `
  let oh = th;
  let ow = tw;
  let hit = true;`;
  const body = `
  let hw = ${u('H')} * ${u('W')};
  let n = row / hw;
  let pr = row - n * hw;
  let ih = pr / ${u('W')};
  let iw = pr - ih * ${u('W')};
  let tap = k / ${u('Cout')};
  let co = k - tap * ${u('Cout')};
  let kh = tap / ${u('KW')};
  let kw = tap - kh * ${u('KW')};
  let th = ih + ${u('PT')} - kh * ${u('DH')};
  let tw = iw + ${u('PL')} - kw * ${u('DW')};${toOutput}
  let valid = (row < ${u('InPixels')}) & (k < ${u('TapOut')}) & hit & (th >= 0) & (tw >= 0) &
    (oh < ${u('OH')}) & (ow < ${u('OW')});
  let index = select(0, ((n * ${u('OH')} + oh) * ${u('OW')} + ow) * ${u('Cout')} + co, valid);
  return select(${zero}, ${bufferRead({ buffer, vector }, 'index')}, valid);`;
  return {
    buffer,
    vector,
    contiguous: 'k',
    body,
    uniforms: fields,
    key: `gather-${strided ? 'strided' : 'unit'}-${vector ?? 's'}`,
  };
}

/**
 * The filter read with input channels as rows for the input gradient:
 * F[ci][(kh, kw, co)] = w[kh, kw, ci, co]. Consecutive co are contiguous: vector along K.
 */
export function filterByInputChannelOperand(
  g: ConvGeometry,
  buffer: string,
  prefix: string,
): GemmOperand {
  const { fields, u } = uniformFields(prefix, {
    Cin: g.inC,
    Cout: g.outC,
    TapOut: g.kH * g.kW * g.outC,
  });
  const vector = g.outC % 4 === 0 ? 'k' : null;
  const zero = vector ? 'vec4<f32>(0.0)' : '0.0';
  const body = `
  let tap = k / ${u('Cout')};
  let co = k - tap * ${u('Cout')};
  let valid = (row < ${u('Cin')}) & (k < ${u('TapOut')});
  let index = select(0, (tap * ${u('Cin')} + row) * ${u('Cout')} + co, valid);
  return select(${zero}, ${bufferRead({ buffer, vector }, 'index')}, valid);`;
  return {
    buffer,
    vector,
    contiguous: 'k',
    body,
    uniforms: fields,
    key: `filter-by-cin-${vector ?? 's'}`,
  };
}
