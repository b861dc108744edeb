/**
 * Display colours for the k = 19 learned layout channels. After stage 2 the channels are no longer
 * tied to CelebAMask-HQ classes (spec §a: the layout is freed), so these are just 19 well
 * separated colours (hues spread around the wheel at alternating brightness), channel 0 black.
 */
export const LAYOUT_PALETTE: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [210, 245, 60],
  [250, 190, 212],
  [0, 128, 128],
  [220, 190, 255],
  [170, 110, 40],
  [255, 250, 200],
  [128, 0, 0],
  [170, 255, 195],
  [128, 128, 0],
  [255, 255, 255],
];
