/** ffmpeg / ffprobe locations: TH_FFMPEG / TH_FFPROBE, else the Debian paths (same rule as @th/data). */
export function ffmpegPath(): string {
  return process.env.TH_FFMPEG || '/usr/bin/ffmpeg';
}

export function ffprobePath(): string {
  if (process.env.TH_FFPROBE) return process.env.TH_FFPROBE;
  if (process.env.TH_FFMPEG) return process.env.TH_FFMPEG.replace(/ffmpeg([^/]*)$/, 'ffprobe$1');
  return '/usr/bin/ffprobe';
}
