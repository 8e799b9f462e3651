// Writes dist/sdk/index.mjs, the ES module entry of `keygate/sdk`, re-exporting the
// CommonJS build by name so `import { createClient } from 'keygate/sdk'` works too.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', 'dist', 'sdk');
const names = Object.keys(require(path.join(dir, 'index.js'))).filter((n) => n !== '__esModule');
const source = `import sdk from './index.js';\nexport const { ${names.join(', ')} } = sdk;\nexport default sdk;\n`;
fs.writeFileSync(path.join(dir, 'index.mjs'), source);
console.log(`wrote dist/sdk/index.mjs (${names.join(', ')})`);
