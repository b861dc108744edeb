import type { ConvGeometry } from './conv-geometry';
import { type GemmOperand, selectRead, uniformFields } from './gemm-operand';

/**
 * The implicit-GEMM views of a convolution's tensors (NHWC x and dy, filter [kH, kW, Cin, Cout]).
 * Index names: a pixel p = (n, oh, ow) of the output grid, a patch index q = (kh, kw, ci) (one
 * filter tap and input channel; q = (kh·kW + kw)·Cin + ci, the filter's own row order), an
 * input pixel (n, ih, iw), and t = (kh, kw, co) for the input gradient's reduction. What
 * depends on the row only is decoded once in `setup`; `load` decodes the K index.
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
  const qDim: 'k' | 'row' = role === 'pixel-rows' ? 'k' : 'row';
  const vector = g.inC % 4 === 0 ? qDim : null;
  const op = { buffer, vector };
  // Pixel p -> (n, oh, ow), and patch index q -> (kh, kw, ci).
  const pixel = (p: string) => `
  let ohw = ${u('OH')} * ${u('OW')};
  let n = ${p} / ohw;
  let pr = ${p} - n * ohw;
  let oh = pr / ${u('OW')};
  let ow = pr - oh * ${u('OW')};`;
  const patch = (q: string) => `
  let tap = ${q} / ${u('Cin')};
  let ci = ${q} - tap * ${u('Cin')};
  let kh = tap / ${u('KW')};
  let kw = tap - kh * ${u('KW')};`;
  const inside = `(ih >= 0) & (ih < ${u('H')}) & (iw >= 0) & (iw < ${u('W')})`;
  const element = (n: string, ci: string) =>
    `((${n} * ${u('H')} + ih) * ${u('W')} + iw) * ${u('Cin')} + ${ci}`;
  const common = { buffer, vector, contiguous: qDim, uniforms: fields } as const;
  if (role === 'pixel-rows') {
    return {
      ...common,
      state: 'n: i32, ih0: i32, iw0: i32, valid: bool',
      setup: `${pixel('row')}
  st.n = n;
  st.ih0 = oh * ${u('SH')} - ${u('PT')};
  st.iw0 = ow * ${u('SW')} - ${u('PL')};
  st.valid = row < ${u('Pixels')};`,
      load: `${patch('k')}
  let ih = st.ih0 + kh * ${u('DH')};
  let iw = st.iw0 + kw * ${u('DW')};
  let valid = st.valid & (k < ${u('TapCh')}) & ${inside};
${selectRead(op, element('st.n', 'ci'))}`,
      key: `patch-pixel-rows-${vector ?? 's'}`,
    };
  }
  return {
    ...common,
    state: 'ci: i32, dh: i32, dw: i32, valid: bool',
    setup: `${patch('row')}
  st.ci = ci;
  st.dh = kh * ${u('DH')} - ${u('PT')};
  st.dw = kw * ${u('DW')} - ${u('PL')};
  st.valid = row < ${u('TapCh')};`,
    load: `${pixel('k')}
  let ih = oh * ${u('SH')} + st.dh;
  let iw = ow * ${u('SW')} + st.dw;
  let valid = st.valid & (k < ${u('Pixels')}) & ${inside};
${selectRead(op, element('n', 'st.ci'))}`,
    key: `patch-patch-rows-${vector ?? 's'}`,
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
  return {
    buffer,
    vector,
    contiguous: 'k',
    state: 'n: i32, th0: i32, tw0: i32, valid: bool',
    setup: `
  let hw = ${u('H')} * ${u('W')};
  let n = row / hw;
  let pr = row - n * hw;
  let ih = pr / ${u('W')};
  st.n = n;
  st.th0 = ih + ${u('PT')};
  st.tw0 = pr - ih * ${u('W')} + ${u('PL')};
  st.valid = row < ${u('InPixels')};`,
    load: `
  let tap = k / ${u('Cout')};
  let co = k - tap * ${u('Cout')};
  let kh = tap / ${u('KW')};
  let kw = tap - kh * ${u('KW')};
  let th = st.th0 - kh * ${u('DH')};
  let tw = st.tw0 - kw * ${u('DW')};${toOutput}
  let valid = st.valid & (k < ${u('TapOut')}) & hit & (th >= 0) & (tw >= 0) &
    (oh < ${u('OH')}) & (ow < ${u('OW')});
${selectRead({ buffer, vector }, `((st.n * ${u('OH')} + oh) * ${u('OW')} + ow) * ${u('Cout')} + co`)}`,
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
  return {
    buffer,
    vector,
    contiguous: 'k',
    state: 'ci: i32, valid: bool',
    setup: `
  st.ci = row;
  st.valid = row < ${u('Cin')};`,
    load: `
  let tap = k / ${u('Cout')};
  let co = k - tap * ${u('Cout')};
  let valid = st.valid & (k < ${u('TapOut')});
${selectRead({ buffer, vector }, `(tap * ${u('Cin')} + st.ci) * ${u('Cout')} + co`)}`,
    uniforms: fields,
    key: `filter-by-cin-${vector ?? 's'}`,
  };
}
