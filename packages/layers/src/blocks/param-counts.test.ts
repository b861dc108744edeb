import { describe, expect, it } from 'vitest';
import { EqConv2d } from '../layers/eq-conv2d';
import { EqDense } from '../layers/eq-dense';
import { ResBlock } from './res-block';
import { ResBlockDown } from './res-block-down';
import { ResBlockUp } from './res-block-up';
import { SPADEResBlock } from './spade-res-block';

// Parameter counting needs no tensors (parameters are lazy), so this runs without a backend.
const conv = (k: number, cin: number, cout: number, bias = true) =>
  k * k * cin * cout + (bias ? cout : 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('block parameter counts', () => {
  it('ResBlock: two 3x3 convs through C_mid = min(Cin, Cout), 1x1 no-bias skip iff Cin != Cout', () => {
    expect(new ResBlock({ inChannels: 32, outChannels: 64 }).numParams()).toBe(
      conv(3, 32, 32) + conv(3, 32, 64) + conv(1, 32, 64, false),
    );
    expect(new ResBlock({ inChannels: 64, outChannels: 16 }).numParams()).toBe(
      conv(3, 64, 16) + conv(3, 16, 16) + conv(1, 64, 16, false),
    );
    expect(new ResBlock({ inChannels: 8, outChannels: 8 }).numParams()).toBe(2 * conv(3, 8, 8));
  });

  it('ResBlockDown: 3x3 Cin->Cin, 3x3 Cin->Cout, 1x1 skip always', () => {
    expect(new ResBlockDown({ inChannels: 8, outChannels: 8 }).numParams()).toBe(
      conv(3, 8, 8) + conv(3, 8, 8) + conv(1, 8, 8, false),
    );
  });

  it('ResBlockUp: two AdaIN denses (latent -> 2C), 3x3 Cin->Cout, 3x3 Cout->Cout, 1x1 skip', () => {
    const adain = (c: number) => 512 * 2 * c + 2 * c;
    expect(new ResBlockUp({ inChannels: 1024, outChannels: 256, latentDim: 512 }).numParams()).toBe(
      adain(1024) + conv(3, 1024, 256) + adain(256) + conv(3, 256, 256) + conv(1, 1024, 256, false),
    );
  });

  it('SPADEResBlock: SPADE per norm site (own hidden conv), learned skip iff Cin != Cout', () => {
    const spade = (c: number) => conv(3, 19, 64) + 2 * conv(3, 64, c);
    expect(
      new SPADEResBlock({ inChannels: 512, outChannels: 256, labelChannels: 19 }).numParams(),
    ).toBe(
      spade(512) +
        conv(3, 512, 256) +
        spade(256) +
        conv(3, 256, 256) +
        spade(512) +
        conv(1, 512, 256, false),
    );
    expect(
      new SPADEResBlock({ inChannels: 64, outChannels: 64, labelChannels: 19 }).numParams(),
    ).toBe(2 * spade(64) + 2 * conv(3, 64, 64));
  });

  it('the LSR-224 networks assembled from these blocks have the parameter totals of docs/design.md#parameter-counts', () => {
    const n = (m: { numParams(): number }) => m.numParams();
    const encoder = sum([
      n(new EqConv2d({ inChannels: 6, outChannels: 32, kernelSize: 7 })),
      ...[32, 64, 128, 256, 512, 512].map((c, i) =>
        n(new ResBlock({ inChannels: c, outChannels: [64, 128, 256, 512, 512, 512][i]! })),
      ),
      n(new EqDense({ inFeatures: 4608, outFeatures: 512 })),
    ]);
    expect(encoder).toBe(14_334_080);

    const layoutGenerator = sum([
      ...[3, 64, 128, 256, 512].map((c, i) =>
        n(
          new ResBlockDown({
            inChannels: c,
            outChannels: [64, 128, 256, 512, 512][i]!,
            norm: 'instance',
          }),
        ),
      ),
      ...[512, 1024, 512, 256, 128].map((c, i) =>
        n(
          new ResBlockUp({
            inChannels: c,
            outChannels: [512, 256, 128, 64, 32][i]!,
            latentDim: 512,
          }),
        ),
      ),
      n(new EqConv2d({ inChannels: 32, outChannels: 22, kernelSize: 3, gain: 1 })),
    ]);
    expect(layoutGenerator).toBe(20_246_698);

    const imageGenerator = sum([
      n(new EqDense({ inFeatures: 512, outFeatures: 7 * 7 * 512 })),
      ...[512, 512, 512, 256, 128, 64].map((c, i) =>
        n(
          new SPADEResBlock({
            inChannels: c,
            outChannels: [512, 512, 256, 128, 64, 32][i]!,
            labelChannels: 19,
          }),
        ),
      ),
      n(new EqConv2d({ inChannels: 32, outChannels: 3, kernelSize: 3, gain: 1 })),
    ]);
    expect(imageGenerator).toBe(30_144_483);

    const discriminator = sum([
      n(new EqConv2d({ inChannels: 6, outChannels: 32, kernelSize: 1 })),
      ...[32, 64, 128, 256, 512, 512].map((c, i) =>
        n(
          new ResBlockDown({
            inChannels: c,
            outChannels: [64, 128, 256, 512, 512, 512][i]!,
            outputScale: Math.SQRT1_2,
          }),
        ),
      ),
      n(new EqConv2d({ inChannels: 512, outChannels: 512, kernelSize: 3 })),
      n(new EqDense({ inFeatures: 8192, outFeatures: 512 })),
      n(new EqConv2d({ inChannels: 512, outChannels: 1, kernelSize: 1 })),
    ]);
    expect(discriminator).toBe(19_044_481);
  });
});
