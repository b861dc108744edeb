/** A tensor to fill: its name and shape (any layout; filled in row-major order). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** A filled tensor as plain float32 data. */
export interface FormulaWeight {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Deterministic test weights by formula, for tests that compare a network with an independent
 * implementation (e.g. a NumPy script) computing the same numbers: tensor number t of `specs`
 * gets data[i] = element(spec, t)(i) for each flat index i, rounded to float32. `element` is
 * called once per tensor, so per-tensor choices (its role, its fan-in) stay out of the inner
 * loop. No pretrained network can be bundled, so goldens are made on such weights instead.
 */
export function formulaWeights<S extends WeightSpec>(
  specs: readonly S[],
  element: (spec: S, t: number) => (i: number) => number,
): Map<string, FormulaWeight> {
  const out = new Map<string, FormulaWeight>();
  specs.forEach((spec, t) => {
    if (out.has(spec.name)) throw new Error(`formulaWeights: "${spec.name}" is listed twice`);
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    const value = element(spec, t);
    for (let i = 0; i < data.length; i++) data[i] = value(i);
    out.set(spec.name, { shape: spec.shape, data });
  });
  return out;
}
