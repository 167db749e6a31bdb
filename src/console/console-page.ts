/**
 * The console's page and script, served from the package itself: no CDN, no build step at run time,
 * so the console works offline. The script is {@link browserApp}'s compiled source.
 */
import { browserApp } from './browser-app.js'

const STYLE = `
:root { color-scheme: light; font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; background: #fafafa; }
body { margin: 0 auto; max-width: 1400px; padding: 0 1rem 2rem; }
header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin: 1.2rem 0 .4rem; } h3 { font-size: 1rem; margin: .6rem 0 .3rem; }
small { color: #555; font-weight: normal; }
#error { color: #a40000; font-weight: bold; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1rem; }
button { font: inherit; margin: .15rem .25rem .15rem 0; padding: .25rem .6rem; border: 1px solid #1a1a1a; border-radius: 4px; background: #fff; color: #1a1a1a; cursor: pointer; }
button:hover { background: #e8f0fe; }
:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.broker { display: inline-block; border: 2px solid #1a7f37; border-radius: 6px; padding: .4rem .6rem; margin: 0 .5rem .5rem 0; background: #fff; }
.broker.crashed { border-color: #a40000; background: #fdecec; } .broker.isolated { border-color: #8a5a00; background: #fff4e0; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid #ddd; padding: .15rem .4rem; text-align: left; font-variant-numeric: tabular-nums; }
tr.changed td { animation: flash 2s ease-out; } @keyframes flash { from { background: #ffe08a; } to { background: transparent; } }
.pager { margin: .3rem 0; } button[aria-disabled="true"] { color: #666; border-color: #999; cursor: default; }
.replica { white-space: nowrap; color: #444; } .replica.lead { font-weight: bold; color: #1a1a1a; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .3em; vertical-align: baseline; border: 1px solid #1a1a1a; }
.members { list-style: none; padding: 0; } .chart { width: 100%; max-width: 420px; height: 90px; background: #fff; border: 1px solid #ddd; }
.chart text { font-size: 9px; fill: #444; }
#tour li { margin: .3rem 0; } #tour li.done { color: #444; }
#timeline { max-height: 24rem; overflow: auto; font-size: .9rem; } time { color: #555; margin-right: .4rem; }
#timeline ul { margin: 0; padding-left: 2rem; color: #444; } .kind { display: inline-block; min-width: 6.5em; font-weight: 600; }
#records code { font-size: .8rem; } tr.txn.open td[data-field="state"] { color: #8a5a00; font-weight: bold; } tr.txn.aborted td[data-field="state"] { color: #a40000; } tr.txn.committed td[data-field="state"] { color: #1a7f37; }
dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0 .5rem; font-size: .85rem; } dt { color: #444; } dd { margin: 0; }
form.inline { display: inline-flex; gap: .4rem; align-items: center; flex-wrap: wrap; }
input, select { font: inherit; padding: .15rem .3rem; }
`

/** The page: empty sections that the script fills from the event stream. */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>kafkalite console</title><style>${STYLE}</style></head>
<body>
<header><h1>kafkalite console</h1><span id="status" role="status">connecting…</span><span id="error" role="alert"></span></header>
<main>
<section aria-labelledby="tour-title"><h2 id="tour-title">Guided tour</h2><div id="tour"></div></section>
<div class="grid">
<section aria-labelledby="brokers-title"><h2 id="brokers-title">Brokers</h2><div id="brokers"></div></section>
<section aria-labelledby="produce-title"><h2 id="produce-title">Produce a record</h2>
<form class="inline" data-form="produce"><label>Topic <select name="topic" id="produce-topic"></select></label>
<label>Key <input name="key" id="produce-key" required></label><label>Value <input name="value" id="produce-value"></label>
<button type="submit" id="produce-send">Send</button></form></section>
</div>
<section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2><div id="timeline"></div></section>
<section aria-labelledby="groups-title"><h2 id="groups-title">Consumer groups</h2><div id="groups" class="grid"></div></section>
<section aria-labelledby="records-title"><h2 id="records-title">Records</h2><div id="records"></div></section>
<section aria-labelledby="transactions-title"><h2 id="transactions-title">Transactions</h2><div id="transactions"></div></section>
<section aria-labelledby="dlt-title"><h2 id="dlt-title">Dead-letter and retry topics</h2><div id="dead-letters"></div></section>
<section aria-labelledby="topics-title"><h2 id="topics-title">Topics and partitions</h2><div id="topics"></div></section>
</main>
<script src="/app.js"></script>
</body></html>`
}

/**
 * The page's script: the browser app, started at once. Compilers that keep function names (esbuild
 * with `keepNames`, as tsx runs it) wrap inner functions in a `__name` helper defined outside the
 * function; the script defines a harmless one so the source runs however it was compiled.
 */
export function consoleScript(): string {
  return `;(function () {\nvar __name = function (target) { return target };\n(${browserApp.toString()})()\n})()\n`
}
