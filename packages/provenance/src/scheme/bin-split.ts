/**
 * Which band bins carry the sync pattern and which the payload: a keyed shuffle of the half-band,
 * PAYLOAD_SHARE of the bins to the payload, the rest to sync. Giving each bin to one pattern only
 * matters because the detector keeps just the phase of each bin: where one strong pattern and a
 * weaker one shared a bin, the strong one would capture the phase and hide the weak one.
 */
import { band } from './band';
import { keyedUint32 } from './keyed-random';
import { PAYLOAD_SHARE } from './scheme';

export interface BinSplit {
  /** Half-band indices (ascending) of the sync bins and of the payload bins. */
  sync: Int32Array;
  payload: Int32Array;
}

export function binSplit(key: string): BinSplit {
  const n = band().size;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const next = keyedUint32(key, 'bins');
  for (let i = n - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const payloadCount = Math.round(PAYLOAD_SHARE * n);
  return {
    payload: order.slice(0, payloadCount).sort(),
    sync: order.slice(payloadCount).sort(),
  };
}
