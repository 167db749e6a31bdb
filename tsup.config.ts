import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: { index: 'src/index.ts', kafkajs: 'src/kafkajs.ts', testing: 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    // `kafkalite/kafkajs` and `kafkalite/testing` import the library through the package's own name,
    // which Node resolves to this package's main entry point (self-reference through "exports"). Kept
    // external, every entry point shares one copy of the library, in ESM and in CommonJS, and the
    // declarations of the other entries import their types from `index` instead of a shared chunk
    // with mangled names. fast-check, a peer dependency of `kafkalite/testing`, stays external too.
    external: ['kafkalite'],
    // p-queue (and its p-timeout) ship only as ES modules: `require` of one (Node 20.19+) hands esbuild's CommonJS
    // interop a namespace whose `default` it wraps again, and `new PQueue()` throws "not a constructor" in every
    // CommonJS consumer.run. Bundled, both formats carry the one class, and the package no longer depends on them.
    noExternal: ['p-queue', 'p-timeout'],
    // Bundled from the declarations tsc writes (`npm run build` and `npm test` run it first): tsup's own `dts: true`
    // compiles and type-checks src/ a second time, 24 s of CPU against 3 s to bundle.
    dts: { entry: { index: 'build/types/src/index.d.ts', kafkajs: 'build/types/src/kafkajs.d.ts', testing: 'build/types/src/testing/index.d.ts' } },
    clean: true,
    target: 'node20',
  },
  {
    // The `kafkalite` command (package.json "bin"): one ESM file, no declarations, nothing imports it.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
  },
])
