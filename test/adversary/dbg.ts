import { runSeed, describeScenario } from './run-seed.js'
const r = await runSeed(Number(process.argv[2]))
console.log(describeScenario(r.scenario))
const re = new RegExp(process.argv[3] ?? '.')
console.log(r.events.filter(e => re.test(e)).join('\n'))
console.log(r.anomalies.map(a => a.kind + ': ' + a.message).join('\n'))
