/**
 * What the tarballs hold: the build, README and declared entry points; nothing repository-only
 * (sources, tests, the full training checkpoint); @th/infer's bundled model.
 */
export function checkTarballs(packed, packages) {
  const lines = [];
  for (const p of packages) {
    const entry = packed.find((e) => e.name === p.name);
    if (!entry) throw new Error(`${p.name}: npm pack produced no tarball`);
    const files = new Set(entry.files.map((f) => f.path));
    const stray = [...files].filter(
      (f) => /^src\//.test(f) || /\.test\.[cm]?[jt]s$/.test(f) || f.endsWith('.full.safetensors'),
    );
    if (stray.length)
      throw new Error(`${p.name}: repository-only files packed: ${stray.join(', ')}`);
    for (const required of ['package.json', 'README.md']) {
      if (!files.has(required)) throw new Error(`${p.name}: ${required} missing from the tarball`);
    }
    for (const [bin, target] of Object.entries(p.manifest.bin ?? {})) {
      if (!files.has(target.replace(/^\.\//, '')))
        throw new Error(`${p.name}: bin ${bin} -> ${target} is not in the tarball`);
    }
    lines.push(`${p.name} ${(entry.size / 1e6).toFixed(2)} MB packed`);
  }
  const infer = packed.find((e) => e.name === '@th/infer');
  if (!infer?.files.some((f) => f.path === 'assets/lsr-64.safetensors'))
    throw new Error('@th/infer: the bundled model assets/lsr-64.safetensors is not in the tarball');
  return lines.join('; ');
}
