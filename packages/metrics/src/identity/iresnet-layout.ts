/** Blocks per stage of the arcface_torch IResNets (`backbones/iresnet.py`). */
export const IRESNET_DEPTHS: Readonly<Record<string, readonly [number, number, number, number]>> = {
  iresnet18: [2, 2, 2, 2],
  iresnet34: [3, 4, 6, 3],
  iresnet50: [3, 4, 14, 3],
  iresnet100: [3, 13, 30, 3],
  iresnet200: [6, 26, 60, 6],
};

/** Stage widths of IResNet (64, 128, 256, 512) and the 7x7 map the 112x112 input ends at. */
export const IRESNET_WIDTHS = [64, 128, 256, 512] as const;
export const IRESNET_FINAL_SIZE = 7;

/** One parameter of the PyTorch state dict: its name, PyTorch shape and what kind of layer owns it. */
export interface IResNetParameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: 'conv' | 'bn' | 'prelu' | 'fc';
}

const BN_FIELDS = ['weight', 'bias', 'running_mean', 'running_var'] as const;

/**
 * Every floating parameter of arcface_torch's `IResNet(IBasicBlock, layers)` in `state_dict()`
 * order (modules in registration order; per BatchNorm: weight, bias, running_mean, running_var;
 * the int64 `num_batches_tracked` counters are left out). Block j of stage s is
 * `layer{s}.{j}`: bn1, conv1 (3x3), bn2, prelu, conv2 (3x3, stride 2 in block 0), bn3 and, in
 * block 0, `downsample` = 1x1 conv (stride 2) + BN.
 */
export function iresnetParameters(
  layers: readonly number[],
  numFeatures = 512,
): IResNetParameter[] {
  const out: IResNetParameter[] = [];
  const bn = (prefix: string, c: number) => {
    for (const f of BN_FIELDS) out.push({ name: `${prefix}.${f}`, shape: [c], role: 'bn' });
  };
  out.push({ name: 'conv1.weight', shape: [64, 3, 3, 3], role: 'conv' });
  bn('bn1', 64);
  out.push({ name: 'prelu.weight', shape: [64], role: 'prelu' });
  let inplanes = 64;
  layers.forEach((blocks, s) => {
    const planes = IRESNET_WIDTHS[s]!;
    for (let j = 0; j < blocks; j++) {
      const p = `layer${s + 1}.${j}`;
      const cin = j === 0 ? inplanes : planes;
      bn(`${p}.bn1`, cin);
      out.push({ name: `${p}.conv1.weight`, shape: [planes, cin, 3, 3], role: 'conv' });
      bn(`${p}.bn2`, planes);
      out.push({ name: `${p}.prelu.weight`, shape: [planes], role: 'prelu' });
      out.push({ name: `${p}.conv2.weight`, shape: [planes, planes, 3, 3], role: 'conv' });
      bn(`${p}.bn3`, planes);
      if (j === 0) {
        out.push({ name: `${p}.downsample.0.weight`, shape: [planes, cin, 1, 1], role: 'conv' });
        bn(`${p}.downsample.1`, planes);
      }
    }
    inplanes = planes;
  });
  bn('bn2', 512);
  const flat = 512 * IRESNET_FINAL_SIZE * IRESNET_FINAL_SIZE;
  out.push({ name: 'fc.weight', shape: [numFeatures, flat], role: 'fc' });
  out.push({ name: 'fc.bias', shape: [numFeatures], role: 'fc' });
  bn('features', numFeatures);
  return out;
}

/**
 * Reads the depth (blocks per stage) and embedding size from a state dict's names, then checks
 * that every expected parameter is present with its shape and nothing else is there. A file of
 * another architecture (IResNet-SE, MobileFaceNet, a DDP `module.` prefix) fails here with the
 * names that differ. `source` (the file) starts every error.
 */
export function inferIResNetLayout(
  weights: ReadonlyMap<string, { readonly shape: readonly number[] }>,
  source = 'ArcFace weights',
): {
  layers: [number, number, number, number];
  numFeatures: number;
} {
  const layers = [1, 2, 3, 4].map((s) => {
    let n = 0;
    while (weights.has(`layer${s}.${n}.conv1.weight`)) n++;
    return n;
  }) as [number, number, number, number];
  const fcBias = weights.get('fc.bias');
  if (layers.includes(0) || !fcBias) {
    const sample = [...weights.keys()].slice(0, 5).join(', ');
    throw new Error(
      `${source}: not an arcface_torch IResNet state dict (blocks per stage ${layers.join('-')}, fc.bias ${fcBias ? 'present' : 'missing'}; first names: ${sample})`,
    );
  }
  const numFeatures = fcBias.shape[0]!;
  const expected = iresnetParameters(layers, numFeatures);
  const problems: string[] = [];
  for (const p of expected) {
    const t = weights.get(p.name);
    if (!t) problems.push(`missing ${p.name}`);
    else if (t.shape.join(',') !== p.shape.join(',')) {
      problems.push(`${p.name} has shape [${t.shape}], expected [${p.shape}]`);
    }
  }
  const known = new Set(expected.map((p) => p.name));
  for (const name of weights.keys()) if (!known.has(name)) problems.push(`unexpected ${name}`);
  if (problems.length > 0) {
    throw new Error(
      `${source} (IResNet ${layers.join('-')}): ${problems.length} problem(s): ${problems.slice(0, 6).join('; ')}`,
    );
  }
  return { layers, numFeatures };
}
