import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', kafkajs: 'src/kafkajs.ts' },
  format: ['esm', 'cjs'],
  // `kafkalite/kafkajs` imports the library through the package's own name, which Node resolves to
  // this package's main entry point (self-reference through "exports"). Kept external, both entry
  // points share one copy of the library, in ESM and in CommonJS, and the declarations of
  // `kafkajs` import their types from `index` instead of a shared chunk with mangled names.
  external: ['kafkalite'],
  dts: true,
  clean: true,
  target: 'node20',
})
