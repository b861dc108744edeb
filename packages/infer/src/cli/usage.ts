export const USAGE = `th: few-shot talking-head reenactment with LSR (Meshry et al., ICCV 2021)

Usage:
  th reenact --source a.png [b.png ...] --driver clip.mp4|frames/|lm.json --out out.mp4|out.gif|frames/
             [--checkpoint model.safetensors] [--k N] [--finetune] [--finetune-steps N]
             [--panels] [--adapt-shape] [--no-face fail|skip] [--max-frames N]
             [--backend auto|cpu|wasm|webgl|webgpu|tensorflow] [--quiet]
  th info <checkpoint.safetensors> [--json]
  th help

reenact options:
  --source         K source photos of one person (PNG/JPEG; any size: centre-cropped, resized)
  --driver         the motion: a video (ffmpeg), a folder of PNG/JPEG frames, or a JSON file
                   {"width": W, "height": H, "fps": 25, "frames": [[[x,y] x 68] | null, ...]}
  --out            .mp4 (h264, yuv420p), .gif, or a folder of numbered PNGs
  --checkpoint     @th checkpoint (default: the bundled model, when one ships)
  --k              use K of the sources (evenly spaced); default all
  --finetune       subject fine-tuning first (docs/design.md#finetuning: 24/60/100/200/400 steps by K)
  --panels         also write driver | landmark image | layout | output side by side
                   (x.mp4 -> x.panels.mp4; in a folder: NNNNN_panels.png)
  --adapt-shape    keep the source's face shape, take only the driver's motion (beyond the paper)
  --no-face        a source or driver frame without a face: fail (default) or skip
  --max-frames     render at most N driver frames
`;
