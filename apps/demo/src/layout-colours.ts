/**
 * Colours for the predicted layout map: class c of argmax_k L_k gets a fixed colour from an
 * evenly spaced hue wheel (golden-angle steps, so neighbouring class ids get distant hues).
 */

/** RGB of class `c` (0..255 each); class 0 (background) is black. */
export function classColour(c: number): [number, number, number] {
  if (c === 0) return [0, 0, 0];
  const hue = (c * 137.508) % 360;
  // HSV → RGB with S = 0.75, V = 0.95
  const s = 0.75;
  const v = 0.95;
  const f = (n: number) => {
    const k = (n + hue / 60) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}

/** Per-pixel class ids → RGBA. */
export function colourLayout(classes: Int32Array | Uint8Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(classes.length * 4);
  for (let p = 0; p < classes.length; p++) {
    const [r, g, b] = classColour(classes[p]!);
    out[p * 4] = r;
    out[p * 4 + 1] = g;
    out[p * 4 + 2] = b;
    out[p * 4 + 3] = 255;
  }
  return out;
}
