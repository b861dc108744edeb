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
  // The bundled model, named once by `bundledModel` in @th/infer's package.json: its file ships,
  // and nothing else from assets/ does (no stale model left beside a swapped one).
  const infer = packed.find((e) => e.name === '@th/infer');
  const model = `assets/${packages.find((p) => p.name === '@th/infer')?.manifest.bundledModel}.safetensors`;
  const assets = (infer?.files ?? []).map((f) => f.path).filter((f) => f.startsWith('assets/'));
  if (assets.length !== 1 || assets[0] !== model)
    throw new Error(
      `@th/infer: the tarball's assets/ should hold the bundled model ${model} alone, got: ${assets.join(', ') || 'nothing'}`,
    );
  lines.push(`@th/infer ships ${model}`);
  return lines.join('; ');
}
