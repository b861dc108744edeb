/**
 * The parameters of watermark scheme `th-wm/1`. They are part of the format: a detector for
 * version 1 must use exactly these numbers, and changing any of them makes a new version.
 * docs/responsible-use.md and the package README explain the choices.
 */

export const SCHEME_ID = 'th-wm/1';
export const FORMAT_VERSION = 1;

/**
 * The public default key. Anyone can detect (and therefore also attempt to remove or forge) marks
 * made with it; that is the point of a public provenance signal. Use your own key for a private one.
 */
export const DEFAULT_KEY = 'th-provenance/public/v1';

/**
 * Radial band of the patterns, in cycles per tile (wavelengths 4 to 10.7 canonical pixels): high
 * enough to stay clear of the strongest image content, low enough to survive halving the frame.
 */
export const BAND_MIN = 3;
export const BAND_MAX = 8;
/** Side of the canonical tile, in canonical pixels; a frame holds 2×2 tiles across its short side. */
export const TILE = 32;
/** Tiles across the short side of the frame the mark is made for. */
export const TILES_PER_FRAME = 2;
/** Period of the keyed ±1 sign sequence, in signs (balanced: half +1, half −1). */
export const SEQUENCE_PERIOD = 16;
/**
 * Frames each sign is held for: the mark changes sign every SIGN_HOLD frames at most. A video
 * encoder copies a frame's mark into the next frames (motion-compensated prediction) and spends
 * bits on a change of sign only where the change is worth it; at small sizes and low rates it
 * mostly does not (measured: a 64×64 clip halved and re-encoded at H.264 CRF 23 came out with the
 * first frame's mark copied forward when the sign changed every frame). Held signs get their
 * changes encoded; 8 frames keep a cycle (128 frames, about 5 s at 25 fps) short enough that clips
 * of a few seconds hold several changes. The package README gives the measurements.
 */
export const SIGN_HOLD = 8;
/**
 * Pattern amplitude (RMS, 8-bit levels, added to R, G and B alike): MSE ≈ 2.5² + 1/12 ≈ 6.33,
 * i.e. PSNR ≈ 40.1 dB; the embedder re-checks every frame and scales down if rounding or clipping
 * would push it under MIN_PSNR_DB.
 */
export const AMPLITUDE = 2.5;
export const MIN_PSNR_DB = 40;
/** Payload bits, carried by one of 2^16 keyed patterns (a random code decoded by ML). */
export const PAYLOAD_BITS = 16;
/** Share of the pattern energy given to the payload pattern (the rest is the sync pattern). */
export const PAYLOAD_SHARE = 0.25;
/**
 * Detector's scale search: tiles across the short side of the observed frame, from 1.45 (a crop of
 * up to ~14 % per side) to a small margin above the uncropped 2, in steps of 2.5 %. Any uniform
 * rescaling keeps the tile count, so halving needs no extra search.
 */
export const SEARCH_TILES_MIN = 1.45;
export const SEARCH_TILES_MAX = 2.06;
export const SEARCH_STEP = 1.025;
