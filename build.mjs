// Bundles the CLI entry point into dist/ with esbuild; npm packages stay external.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/cmd/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
