/** The provenance tag as PNG text chunks: human-readable `Description`, `Software`, and the JSON. */
import { addPngText } from './png-text';
import { formatProvenanceTag, type ProvenanceInfo } from './provenance-tag';

export function tagPng(png: Uint8Array, info: ProvenanceInfo, name = 'PNG'): Uint8Array {
  return addPngText(
    png,
    {
      Description: formatProvenanceTag(info),
      Software: `${info.generator} ${info.version}`,
      'th:provenance': JSON.stringify(info),
    },
    name,
  );
}
