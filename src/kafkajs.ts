/**
 * `kafkalite/kafkajs`: a drop-in for the `kafkajs` package (see `kafkajs-api.ts`). Besides the
 * named exports, the whole module is the default export, so that `import kafkajs from 'kafkajs'`
 * (how ESM code usually imports a CommonJS package such as KafkaJS) keeps working under the mock.
 */
import * as kafkajs from './kafkajs-api.js'

export * from './kafkajs-api.js'
export default kafkajs
