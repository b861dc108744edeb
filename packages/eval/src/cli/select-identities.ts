import type { OutputsLayout } from '@th/metrics/node';

/**
 * The outputs layout restricted to some identities (th-eval --identities), e.g. to score the
 * training identities and a held-out one as two reports from one outputs folder. Settings with
 * no pair left are dropped; an identity with no outputs at all is an error naming it.
 */
export function selectIdentities(
  layout: OutputsLayout,
  identities: readonly string[],
  outputsDir: string,
): OutputsLayout {
  const wanted = new Set(identities);
  const settings = layout.settings
    .map((s) => ({ ...s, pairs: s.pairs.filter((p) => wanted.has(p.identity)) }))
    .filter((s) => s.pairs.length > 0);
  const found = new Set(settings.flatMap((s) => s.pairs.map((p) => p.identity)));
  const missing = identities.filter((id) => !found.has(id));
  if (missing.length)
    throw new Error(`${outputsDir}: no outputs for --identities ${missing.join(', ')}`);
  const sourceFrames = new Map([...layout.sourceFrames].filter(([id]) => wanted.has(id)));
  return { settings, sourceFrames };
}
