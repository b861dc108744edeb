/** The help texts of `th` and of each command (`th --help`, `th <command> --help`). */
export const USAGE = `th: few-shot talking-head reenactment with LSR (Meshry et al., ICCV 2021)

Usage:
  th reenact --source PHOTOS... --driver VIDEO|FOLDER|LANDMARKS.json --out OUT.mp4|OUT.gif|FOLDER/
  th detect VIDEO|IMAGE|FOLDER [--json]
  th info CHECKPOINT|bundled [--json]
  th help [COMMAND]        this text, or a command's options (also: th COMMAND --help)
  th --version

Commands:
  reenact   render a person (from a few photos) moving like the driver; every frame carries an
            invisible watermark saying it is synthetic (docs/responsible-use.md)
  detect    is the @th watermark in a video or image, and what do its metadata tags say
  info      what a checkpoint holds: preset, step, parameters, SHA-256 check

Exit status: 0 done, 1 the job failed (the message names the file or frames), 2 usage error,
130 interrupted (Ctrl-C; temporary files are removed).
`;

export const REENACT_USAGE = `Usage:
  th reenact --source PHOTOS... --driver VIDEO|FOLDER|LANDMARKS.json --out OUT.mp4|OUT.gif|FOLDER/
             [--checkpoint FILE|bundled] [--k N]
             [--finetune [--finetune-steps N] [--finetune-lr LR] [--finetune-losses training|lsr]]
             [--vgg19 FILE] [--vgg-face FILE] [--panels] [--adapt-shape] [--no-face fail|skip]
             [--max-frames N] [--backend auto|cpu|wasm|webgpu|tensorflow|webgl]
             [--precision f32|mixed] [--no-capture] [--label] [--quiet] [--verbose]

Renders the person of the source photos, driven by the motion (68-point landmarks) of the driver.

Options:
  --source          K photos of one person (PNG/JPEG, any size: centre-cropped and resized), or a
                    folder of them
  --driver          the motion: a video (anything ffmpeg reads), a folder of PNG/JPEG frames (in
                    name order), or a JSON file of landmarks
                    {"width": W, "height": H, "fps": 25, "frames": [[[x,y] x 68] | null, ...]}
  --out             .mp4 (h264, yuv420p), .gif, or a folder for numbered PNGs; videos are written
                    to a temporary file and renamed when complete
  --checkpoint      an @th checkpoint (.safetensors); default "bundled": the trained model
                    shipped in @th/infer (inference weights only; th info bundled describes it)
  --k               use K of the sources, evenly spaced; default all
  --finetune        fine-tune the model on the sources first (LSR's subject fine-tuning); needs a
                    checkpoint with a discriminator, e.g. one written by th-train
  --finetune-steps  fine-tuning steps; default LSR's rule by K: 24/60/100/200/400 steps for
                    K <4/<8/<16/<32/>=32
  --finetune-lr     fine-tuning's starting learning rate; default LSR's 1e-3 (constant for the
                    first half of the steps, then decaying)
  --finetune-losses fine-tuning's loss weights: training (default) the ones the checkpoint was
                    trained with (th-train records them; a VGG19 random-feature proxy it trained
                    with is rebuilt from the run's seed), or lsr (LSR's defaults; perceptual terms
                    off without weights)
  --vgg19           VGG19 weights (.safetensors) for fine-tuning's perceptual loss; without them
                    that term is off (convert Keras weights with tools/python/convert_vgg19_h5.py)
  --vgg-face        VGG-Face weights (.safetensors) for fine-tuning's VGG-Face perceptual and
                    identity terms; without them those terms are off
  --panels          also write driver | landmark image | layout | output side by side
                    (x.mp4 -> x.panels.mp4; in a folder: NNNNN_panels.png)
  --adapt-shape     keep the source's face shape, take only the driver's motion (beyond the paper)
  --no-face         a source or driver frame without a face: fail and list them (default), or
                    skip them and list them
  --max-frames      render at most N driver frames
  --label           also draw a visible "SYNTHETIC" label into every frame
  --backend         the TensorFlow.js backend: auto (default: the fastest that works here, in
                    Node tensorflow > webgpu > wasm > cpu), or one by name; webgpu needs the npm
                    packages @tensorflow/tfjs-backend-webgpu and webgpu, tensorflow needs
                    @tensorflow/tfjs-node(-gpu)
  --precision       f32 (default) or mixed: on WebGPU, convolutions and matmuls with f16
                    activations, the weights as two f16 terms and f32 accumulation (tensor cores
                    where offered; output within 1e-2 of f32); fine-tuning with dynamic loss
                    scaling; one line says which path runs
  --no-capture      on WebGPU, run every frame through TensorFlow.js op by op instead of
                    replaying the frame's synthesis captured from the first frame (for debugging;
                    same pixels, slower)
  --quiet           no progress bars (they go to stderr)
  --verbose         also say which backend was chosen and why the others were skipped
  --help            this text

Every frame carries an invisible watermark saying it is synthetic, and the file's metadata says
so too (see docs/responsible-use.md); check any video with th detect. Landmarks come from face-api
(npm package @vladmandic/face-api, installed separately).
`;

export const INFO_USAGE = `Usage:
  th info CHECKPOINT|bundled [--json]

Prints a checkpoint's preset, resolution, step, versions, parameters per network and the
SHA-256 verdict; "bundled" is the model shipped in @th/infer. A corrupted or foreign file is
refused with the reason.

Options:
  --json   the same as JSON
  --help   this text
`;

export const DETECT_USAGE = `Usage:
  th detect VIDEO|IMAGE|FOLDER [--json] [--sequence] [--key KEY] [--max-frames N] [--quiet]

Whether the @th watermark is in a video, an image or each file of a folder, what its payload says
and how sure that is, and what the file's metadata tags say.

Options:
  --json        the full report as JSON (per file: watermark, payload, confidence, metadata)
  --sequence    also read a folder's images, in name order, as the frames of one video
  --key         the key the content was marked with (default: the public @th key)
  --max-frames  read at most N frames of each video
  --quiet       no progress lines
  --help        this text
`;
