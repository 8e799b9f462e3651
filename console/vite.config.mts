import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is built once (`npm run build:console`) into dist/console and served by Keygate at /console,
 * so it needs no CDN and no dev server. JSX goes through Vite's own Oxc transform (automatic runtime):
 * no React plugin, since a production build needs no fast refresh.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
