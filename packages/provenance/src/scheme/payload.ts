/**
 * The 16-bit payload of scheme v1:
 *
 *   bits 15-13  format version (1)
 *   bit  12     synthetic flag (1: the content was generated)
 *   bits 11-0   model identifier: the first 12 bits of the SHA-256 of the model's tensor data
 *               (the full hash travels in the file metadata)
 */
import { FORMAT_VERSION, PAYLOAD_BITS } from './scheme';

export interface WatermarkPayload {
  version: number;
  synthetic: boolean;
  /** 0..4095 */
  modelId: number;
}

export const PAYLOAD_COUNT = 2 ** PAYLOAD_BITS;

/** The 12-bit model identifier of a hex SHA-256 (`sha256:` prefix allowed); 0 when unknown. */
export function modelIdFromSha256(hash: string | undefined): number {
  const hex = (hash ?? '').replace(/^sha256:/, '');
  if (!/^[0-9a-f]{3}/i.test(hex)) return 0;
  return Number.parseInt(hex.slice(0, 3), 16);
}

export function syntheticPayload(modelSha256?: string): WatermarkPayload {
  return { version: FORMAT_VERSION, synthetic: true, modelId: modelIdFromSha256(modelSha256) };
}

export function encodePayload(p: WatermarkPayload): number {
  if (!Number.isInteger(p.version) || p.version < 0 || p.version > 7)
    throw new Error(`watermark payload: version must be 0..7, got ${p.version}`);
  if (!Number.isInteger(p.modelId) || p.modelId < 0 || p.modelId > 4095)
    throw new Error(`watermark payload: modelId must be 0..4095, got ${p.modelId}`);
  return (p.version << 13) | ((p.synthetic ? 1 : 0) << 12) | p.modelId;
}

export function decodePayload(value: number): WatermarkPayload {
  return { version: value >> 13, synthetic: ((value >> 12) & 1) === 1, modelId: value & 4095 };
}
