import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', kafkajs: 'src/kafkajs.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
})
