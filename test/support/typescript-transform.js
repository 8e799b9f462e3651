// Jest's transform for the tests' TypeScript: the TypeScript compiler the project builds with (`npm run build`),
// file by file (`transpileModule`, no type check: `npm run typecheck` does that), to CommonJS. The emit is tsc's
// own, so decorators and their metadata (type-graphql and TypeORM read them) and class fields are what the
// build ships, and no second compiler is installed for the tests.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.join(__dirname, '../..');

function compilerOptions() {
  const file = path.join(ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, file);
  return {
    ...options,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: true,
    declaration: false,
    incremental: false,
    noEmit: false,
  };
}

const options = compilerOptions();
// Jest caches each file's output under this key: a new compiler or tsconfig.json compiles everything again.
const configHash = crypto
  .createHash('sha256')
  .update(ts.version)
  .update(fs.readFileSync(path.join(ROOT, 'tsconfig.json')))
  .update(fs.readFileSync(__filename))
  .digest('hex');

module.exports = {
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: filename, reportDiagnostics: false });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha256').update(configHash).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
