import * as tf from '@tensorflow/tfjs-core';
import { describeBackends } from '@th/backend/test';
import { expect, it } from 'vitest';
import { normalInit, zerosInit } from './initializers';
import { Module } from './module';
import type { Parameter } from './parameter';

class Leaf extends Module {
  readonly w: Parameter;
  readonly b: Parameter;
  constructor(n: number) {
    super();
    this.w = this.param('w', [n, 2], normalInit(1));
    this.b = this.param('b', [2], zerosInit);
  }
}

class Tree extends Module {
  readonly first: Leaf;
  readonly second: Leaf;
  constructor(reverse = false) {
    super();
    // Construct in either order: names, not order, must decide the initial values.
    if (reverse) {
      this.second = this.child('second', new Leaf(4));
      this.first = this.child('first', new Leaf(3));
    } else {
      this.first = this.child('first', new Leaf(3));
      this.second = this.child('second', new Leaf(4));
    }
  }
}

describeBackends('Module', () => {
  it('names parameters by dotted path and counts them', () => {
    const t = new Tree();
    expect(t.namedParameters().map(([n]) => n)).toEqual([
      'first.w',
      'first.b',
      'second.w',
      'second.b',
    ]);
    expect(t.numParams()).toBe(3 * 2 + 2 + 4 * 2 + 2);
    expect(t.second.path()).toBe('second');
  });

  it('initialises from seed + name, independent of construction order', () => {
    const a = new Tree(false).initialize(5);
    const b = new Tree(true).initialize(5);
    const c = new Tree(false).initialize(6);
    const wa = a.first.w.value.dataSync();
    expect(Array.from(b.first.w.value.dataSync())).toEqual(Array.from(wa));
    expect(Array.from(c.first.w.value.dataSync())).not.toEqual(Array.from(wa));
    expect(Array.from(a.first.b.value.dataSync())).toEqual([0, 0]);
    // Sibling layers of equal shape must not share values.
    expect(Array.from(a.first.w.value.dataSync())).not.toEqual(
      Array.from(a.second.w.value.dataSync()).slice(0, 6),
    );
    for (const m of [a, b, c]) m.dispose();
  });

  it('initialises weights as N(0,1)', () => {
    const big = new Leaf(5000).initialize(1);
    const { mean, variance } = tf.moments(big.w.value);
    expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(0.03);
    expect(Math.abs(variance.dataSync()[0]! - 1)).toBeLessThan(0.05);
    tf.dispose([mean, variance]);
    big.dispose();
  });

  it('freezes and unfreezes subtrees', () => {
    const t = new Tree().initialize(1);
    t.first.freeze();
    expect(t.numParams({ trainableOnly: true })).toBe(10);
    expect(t.trainableVariables()).toHaveLength(2);
    expect(t.first.w.value.trainable).toBe(false);
    t.unfreeze();
    expect(t.trainableVariables()).toHaveLength(4);
    t.dispose();
  });

  it('propagates train/eval mode to children, including ones added later', () => {
    const t = new Tree().eval();
    expect(t.training).toBe(false);
    expect(t.first.training).toBe(false);
    t.train();
    expect(t.second.training).toBe(true);
  });

  it('round-trips a state dict into a differently seeded instance', async () => {
    const a = new Tree().initialize(1);
    const saved: Record<string, tf.Tensor> = {};
    for (const [name, t] of Object.entries(a.stateDict())) {
      saved[name] = tf.tensor(await t.data(), t.shape); // as if read back from a file
    }
    const b = new Tree().initialize(2).loadStateDict(saved);
    for (const [name, t] of Object.entries(b.stateDict())) {
      expect(Array.from(t.dataSync())).toEqual(Array.from(a.stateDict()[name]!.dataSync()));
    }
    // Loading needs no prior initialisation, and the caller may dispose its tensors afterwards.
    const c = new Tree().loadStateDict(saved);
    tf.dispose(Object.values(saved));
    expect(Array.from(c.first.w.value.dataSync())).toEqual(Array.from(a.first.w.value.dataSync()));
    for (const m of [a, b, c]) m.dispose();
  });

  it('names missing, unexpected and mis-shaped entries; strict=false tolerates the first two', () => {
    const t = new Tree().initialize(1);
    const before = Array.from(t.second.w.value.dataSync());
    const dict = {
      'first.w': tf.zeros([3, 2]),
      'first.b': tf.zeros([3]),
      'second.w': tf.zeros([4, 2]),
      'extra.w': tf.zeros([1]),
    };
    expect(() => t.loadStateDict(dict)).toThrow(
      /missing: second\.b \| unexpected: extra\.w \| mis-shaped: first\.b: checkpoint \[3\] vs module \[2\]/,
    );
    // A failed load changes nothing.
    expect(Array.from(t.second.w.value.dataSync())).toEqual(before);
    expect(() => t.loadStateDict(dict, { strict: false })).toThrow(/mis-shaped: first\.b/);
    const { 'first.b': _dropped, ...partial } = dict;
    t.loadStateDict(partial, { strict: false });
    expect(Array.from(t.second.w.value.dataSync())).toEqual(new Array(8).fill(0));
    tf.dispose(Object.values(dict));
    t.dispose();
  });

  it('rejects bad names, duplicates, re-parenting and reading before init', () => {
    class Bad extends Module {
      constructor(kind: string) {
        super();
        if (kind === 'dot') this.param('a.b', [1], zerosInit);
        if (kind === 'dup') {
          this.param('a', [1], zerosInit);
          this.param('a', [1], zerosInit);
        }
        if (kind === 'shape') this.param('a', [2, 0], zerosInit);
        if (kind === 'reparent') {
          const leaf = this.child('x', new Leaf(1));
          this.child('y', leaf);
        }
      }
    }
    expect(() => new Bad('dot')).toThrow(/invalid name "a\.b"/);
    expect(() => new Bad('dup')).toThrow(/name "a" is already used/);
    expect(() => new Bad('shape')).toThrow(/invalid shape \[2,0\]/);
    expect(() => new Bad('reparent')).toThrow(/already belongs to "x"/);
    expect(() => new Tree().second.w.value).toThrow(/parameter "second\.w" has no value yet/);
    expect(() => new Leaf(1).initialize(1.5)).toThrow(/seed must be an integer/);
  });

  it('loading its own state dict is a harmless no-op', () => {
    const t = new Tree().initialize(4);
    const before = Array.from(t.first.w.value.dataSync());
    t.loadStateDict(t.stateDict());
    expect(Array.from(t.first.w.value.dataSync())).toEqual(before);
    t.dispose();
  });

  it('dispose frees every variable', () => {
    const before = tf.memory().numTensors;
    const t = new Tree().initialize(3);
    expect(tf.memory().numTensors).toBe(before + 4);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
