// Regenerates the cost table in README.md from the code (run after `npm run build`):
//   node scripts/update-readme.mjs
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { costTableMarkdown } from '../dist/index.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const start = '<!-- cost-table:start -->';
const end = '<!-- cost-table:end -->';
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i < 0 || j < i) throw new Error('README.md: cost-table markers not found');
const next = `${readme.slice(0, i + start.length)}\n${costTableMarkdown()}\n${readme.slice(j)}`;
writeFileSync(`${path.pathname}.tmp`, next);
renameSync(`${path.pathname}.tmp`, path);
console.log('README.md cost table updated');
