/**
 * Preload (`node --import ./tools/cpu-reference/fast-filter-grad.mjs ...`) that makes the
 * tfjs `cpu` backend's Conv2DBackpropFilter fast enough for lsr-224 reference runs, WITHOUT
 * changing a single bit of its output.
 *
 * Why: tfjs-backend-cpu 4.22.0 computes the filter gradient with two bounds-checked
 * `TensorBuffer.get` calls per multiply-add (~0.02 GFLOP/s here), so one lsr-224 training step on
 * the cpu backend spends nearly all its time in this one kernel. Everything else stays stock.
 *
 * Bit-identity: the stock kernel sums, for every filter element (wR, wC, d1, d2), the products
 * x[b, xR, xC, d1] * dy[b, yR, yC, d2] in a float64 accumulator in the order b, yR, yC and rounds
 * once to float32 on store. This kernel keeps one float64 accumulator per (d1, d2) of a filter
 * tap and adds the same products in the same (b, yR, yC) order, so every sum is the same
 * sequence of float64 operations; it only reads the arrays directly and walks d2 innermost
 * (contiguous in NHWC). `check-fast-filter-grad.mjs` compares it bit for bit with the stock
 * kernel. NCHW calls go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

const NAME = 'Conv2DBackpropFilter';
const stock = tf.getKernel(NAME, 'cpu');
if (!stock)
  throw new Error('fast-filter-grad: tfjs-backend-cpu registered no Conv2DBackpropFilter');

/** Same arithmetic as tfjs-backend-cpu's conv2DBackpropFilter (NHWC), direct array access. */
export function conv2DBackpropFilterFast(args) {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast' || x.dtype !== 'float32' || dy.dtype !== 'float32')
    return stock.kernelFunc(args);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const { strideHeight: sH, strideWidth: sW, filterHeight: fH, filterWidth: fW } = info;
  const { inHeight, inWidth, outHeight, outWidth, inChannels: ci, outChannels: co } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = backend.data.get(x.dataId).values;
  const dyv = backend.data.get(dy.dataId).values;
  const out = new Float32Array(fH * fW * ci * co);
  const acc = new Float64Array(ci * co);
  for (let wR = 0; wR < fH; ++wR) {
    const yRMin = Math.max(0, Math.ceil((top - wR) / sH));
    const yRMax = Math.min(outHeight, (inHeight + top - wR) / sH);
    for (let wC = 0; wC < fW; ++wC) {
      const yCMin = Math.max(0, Math.ceil((left - wC) / sW));
      const yCMax = Math.min(outWidth, (inWidth + left - wC) / sW);
      acc.fill(0);
      for (let b = 0; b < info.batchSize; ++b) {
        for (let yR = yRMin; yR < yRMax; ++yR) {
          const xR = wR + yR * sH - top;
          for (let yC = yCMin; yC < yCMax; ++yC) {
            const xC = wC + yC * sW - left;
            const xBase = ((b * inHeight + xR) * inWidth + xC) * ci;
            const dyBase = ((b * outHeight + yR) * outWidth + yC) * co;
            for (let d1 = 0; d1 < ci; ++d1) {
              const xVal = xv[xBase + d1];
              const row = d1 * co;
              for (let d2 = 0; d2 < co; ++d2) acc[row + d2] += xVal * dyv[dyBase + d2];
            }
          }
        }
      }
      out.set(acc, (wR * fW + wC) * ci * co);
    }
  }
  return backend.makeTensorInfo(filterShape, 'float32', out);
}

tf.unregisterKernel(NAME, 'cpu');
tf.registerKernel({ ...stock, kernelFunc: conv2DBackpropFilterFast });
/** The stock kernel, for the bit-identity check. */
export const stockConv2DBackpropFilter = stock.kernelFunc;
