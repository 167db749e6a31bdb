/// <reference lib="dom" />
/**
 * The console page's script, run in the browser. The server sends it as the source of
 * {@link browserApp} (`browserApp.toString()`), so it must be self-contained: no imports at run
 * time, no references outside the function. It subscribes to `/events` and renders each picture of
 * the cluster; a section is re-rendered only when its part of the picture changed, and focus
 * survives a re-render, so the page stays usable from the keyboard and with 1,000 partitions.
 */
import type { ConsoleSnapshot, GroupSnapshot } from './console-snapshot.js'

export function browserApp(): void {
  // Okabe–Ito: distinguishable with the common colour-vision deficiencies.
  const memberColours = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000']
  const previous = new Map<string, string>()
  const previousPartitions = new Map<string, string>()
  let snapshot: ConsoleSnapshot | null = null

  const esc = (value: unknown): string =>
    String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
  const byId = (id: string): HTMLElement => {
    const element = document.getElementById(id)
    if (element === null) throw new Error(`the page has no #${id}`)
    return element
  }
  const button = (label: string, action: Record<string, unknown>, id: string): string =>
    `<button type="button" id="${esc(id)}" data-action='${esc(JSON.stringify(action))}'>${esc(label)}</button>`

  /** Replaces a section's HTML only when its source changed, keeping keyboard focus on the same control. */
  const render = (id: string, source: unknown, html: () => string): void => {
    const key = JSON.stringify(source)
    if (previous.get(id) === key) return
    previous.set(id, key)
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.id : ''
    byId(id).innerHTML = html()
    if (focused !== '') document.getElementById(focused)?.focus()
  }

  const renderBrokers = (s: ConsoleSnapshot): string =>
    s.brokers
      .map((b) => {
        const state = b.status === 'down' ? 'crashed' : b.isolated ? 'isolated' : 'up'
        const actions =
          b.status === 'down'
            ? button(`Restart broker ${b.id}`, { action: 'restart', broker: b.id }, `restart-${b.id}`)
            : button(`Crash broker ${b.id}`, { action: 'crash', broker: b.id }, `crash-${b.id}`) +
              (b.isolated ? '' : button(`Isolate broker ${b.id}`, { action: 'isolate', broker: b.id }, `isolate-${b.id}`))
        return `<div class="broker ${state}" data-broker="${b.id}"><strong>Broker ${b.id}</strong> <span data-field="state">${state}</span>${b.controller ? ' · controller' : ''}${b.fenced && b.status === 'up' ? ' · fenced' : ''}<div>${actions}</div></div>`
      })
      .join('') + `<div>${button('Heal the network', { action: 'heal' }, 'heal')}</div>`

  const ownerColours = (s: ConsoleSnapshot): Map<string, string[]> => {
    const owners = new Map<string, string[]>()
    for (const group of s.groups) {
      group.members.forEach((member, index) => {
        for (const p of member.partitions) {
          const key = `${p.topic}-${p.partition}`
          owners.set(key, [...(owners.get(key) ?? []), memberColours[index % memberColours.length] ?? '#000'])
        }
      })
    }
    return owners
  }

  /** Rows of a topic shown at once: the DOM stays small however many partitions a topic has. */
  const pageSize = 100
  const topicPage = new Map<string, number>()

  const renderTopics = (s: ConsoleSnapshot): string => {
    const owners = ownerColours(s)
    const topics = new Map<string, ConsoleSnapshot['partitions'][number][]>()
    for (const p of s.partitions) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p])
    return [...topics]
      .map(([topic, partitions]) => {
        const pages = Math.ceil(partitions.length / pageSize)
        const page = Math.min(topicPage.get(topic) ?? 0, pages - 1)
        const rows = partitions.slice(page * pageSize, (page + 1) * pageSize).map((p) => {
          const key = `${p.topic}-${p.partition}`
          const signature = `${p.leader}|${p.leaderEpoch}|${p.isr.join(',')}`
          const changed = previousPartitions.has(key) && previousPartitions.get(key) !== signature
          previousPartitions.set(key, signature)
          const leos = p.replicaStates.map((r) => `<span class="replica ${r.brokerId === p.leader ? 'lead' : ''}" title="broker ${r.brokerId}: high watermark ${r.highWatermark}, log end ${r.logEndOffset}">${r.brokerId}: ${r.highWatermark}/${r.logEndOffset}</span>`).join(' ')
          const swatches = (owners.get(key) ?? []).map((c) => `<span class="swatch" style="background:${c}"></span>`).join('')
          return `<tr data-partition="${esc(key)}" class="${changed ? 'changed' : ''}"><td>${swatches}${p.partition}</td><td data-field="leader">${p.leader < 0 ? 'none' : p.leader}</td><td data-field="epoch">${p.leaderEpoch}</td><td data-field="replicas">${p.replicas.join(',')}</td><td data-field="isr">${p.isr.join(',')}</td><td data-field="log-start">${esc(s.logStart[key] ?? '0')}</td><td data-field="hw">${p.highWatermark}</td><td data-field="leo">${p.logEndOffset}</td><td>${leos}</td></tr>`
        })
        const offline = partitions.filter((p) => p.leader < 0).length
        const underReplicated = partitions.filter((p) => p.isr.length < p.replicas.length).length
        const summary = `<small data-field="summary">${partitions.length} partitions · ${underReplicated} under-replicated · ${offline} offline</small>`
        const pager =
          pages <= 1
            ? ''
            : `<div class="pager">Partitions ${page * pageSize}–${Math.min(partitions.length, (page + 1) * pageSize) - 1} ` +
              `<button type="button" id="prev-${esc(topic)}" data-page="${esc(topic)}" data-to="${page - 1}" aria-disabled="${page === 0}">Previous ${pageSize}</button>` +
              `<button type="button" id="next-${esc(topic)}" data-page="${esc(topic)}" data-to="${page + 1}" aria-disabled="${page === pages - 1}">Next ${pageSize}</button></div>`
        const form = `<form class="inline" data-form="add-partitions" data-topic="${esc(topic)}"><label>Partitions <input name="count" type="number" min="${partitions.length + 1}" value="${partitions.length + 1}" id="count-${esc(topic)}"></label><button type="submit" id="add-partitions-${esc(topic)}">Add partitions</button></form>`
        return `<section class="topic" data-topic="${esc(topic)}"><h3>${esc(topic)} ${summary}</h3>${form}${pager}<table><thead><tr><th scope="col">Partition</th><th scope="col">Leader</th><th scope="col">Epoch</th><th scope="col">Replicas</th><th scope="col">ISR</th><th scope="col">Log start</th><th scope="col">High watermark</th><th scope="col">Log end</th><th scope="col">Per replica (hw/log end)</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
      })
      .join('')
  }

  const lagChart = (group: GroupSnapshot): string => {
    const points = group.lagHistory
    if (points.length < 2) return ''
    const max = Math.max(1, ...points.map((p) => p[1]))
    const first = points[0]?.[0] ?? 0
    const span = Math.max(1, (points[points.length - 1]?.[0] ?? 0) - first)
    const line = points.map(([t, lag]) => `${((300 * (t - first)) / span).toFixed(1)},${(80 - (75 * lag) / max).toFixed(1)}`).join(' ')
    return `<svg class="chart" viewBox="0 0 300 80" role="img" aria-label="lag of ${esc(group.groupId)} over the last ${Math.round(span / 1000)} s, now ${points[points.length - 1]?.[1] ?? 0}, peak ${max}"><polyline fill="none" stroke="#0072B2" stroke-width="2" points="${line}"/><text x="2" y="10">${max}</text><text x="2" y="78">0</text></svg>`
  }

  const renderGroups = (s: ConsoleSnapshot): string =>
    s.groups
      .map((group) => {
        const members = group.members
          .map((m, index) => {
            const owned = m.partitions.map((p) => `${p.topic}-${p.partition}`).join(', ')
            return `<li data-member="${esc(m.memberId)}"><span class="swatch" style="background:${memberColours[index % memberColours.length]}"></span>${esc(m.memberId)}: <span data-field="owns">${owned === '' ? 'idle' : esc(owned)}</span></li>`
          })
          .join('')
        const offsets = group.offsets.map((o) => `<tr data-offset="${esc(`${o.topic}-${o.partition}`)}"><td>${esc(o.topic)}-${o.partition}</td><td>${o.committed}</td><td data-field="lag">${o.lag}</td></tr>`).join('')
        const topic = group.offsets[0]?.topic ?? group.members[0]?.partitions[0]?.topic ?? 'orders'
        const actions =
          button('Add a member', { action: 'add-member', group: group.groupId, topic }, `add-member-${group.groupId}`) +
          button('Remove a member', { action: 'remove-member', group: group.groupId }, `remove-member-${group.groupId}`) +
          button('Slow it down', { action: 'slow-member', group: group.groupId, slow: true }, `slow-${group.groupId}`) +
          button('Full speed', { action: 'slow-member', group: group.groupId, slow: false }, `fast-${group.groupId}`)
        return `<section class="group" data-group="${esc(group.groupId)}"><h3>${esc(group.groupId)} <small>${esc(group.state)} · ${esc(group.protocol)}</small></h3><div>${actions}</div><ul class="members">${members}</ul>${lagChart(group)}<table><thead><tr><th scope="col">Partition</th><th scope="col">Committed</th><th scope="col">Lag</th></tr></thead><tbody>${offsets}</tbody></table></section>`
      })
      .join('')

  const renderRecords = (s: ConsoleSnapshot): string =>
    s.records.length === 0
      ? '<p>No records yet.</p>'
      : `<table><caption>The newest 25 of every topic, whoever produced them</caption><thead><tr><th scope="col">Key</th><th scope="col">murmur2(key)</th><th scope="col">Partition</th><th scope="col">Offset</th><th scope="col">Value</th><th scope="col">Why this partition</th></tr></thead><tbody>${s.records
          .slice(-25)
          .reverse()
          .map((r) => `<tr data-record-key="${esc(r.key ?? '')}" data-record="${esc(`${r.topic}-${r.partition}@${r.offset}`)}"><td>${r.key === null ? '<i>none</i>' : esc(r.key)}</td><td data-field="hash">${r.hash ?? ''}</td><td data-field="partition">${esc(r.topic)}-${r.partition}</td><td>${esc(r.offset)}</td><td><code>${esc(r.value ?? 'null')}</code></td><td>${esc(r.why)}</td></tr>`)
          .join('')}</tbody></table>`

  // Kafka's TransactionState names, as a learner would say them.
  const transactionWords: Record<string, string> = { Empty: 'ready', Ongoing: 'open', PrepareCommit: 'committing', PrepareAbort: 'aborting', CompleteCommit: 'committed', CompleteAbort: 'aborted' }
  const renderTransactions = (s: ConsoleSnapshot): string =>
    s.transactions.length === 0
      ? '<p>No transactional producer yet.</p>'
      : `<table><thead><tr><th scope="col">Transactional id</th><th scope="col">Producer id, epoch</th><th scope="col">State</th><th scope="col">Partitions of the open transaction</th><th scope="col">Timeout</th></tr></thead><tbody>${s.transactions
          .map((t) => {
            const word = transactionWords[t.state] ?? t.state
            return `<tr data-transaction="${esc(t.transactionalId)}" class="txn ${esc(word)}"><td>${esc(t.transactionalId)}</td><td>${t.producerId}, ${t.producerEpoch}</td><td data-field="state" title="${esc(t.state)}">${esc(word)}</td><td data-field="partitions">${esc(t.partitions.map((p) => `${p.topic}-${p.partition}`).join(', '))}</td><td>${t.timeoutMs} ms</td></tr>`
          })
          .join('')}</tbody></table>`

  const renderDeadLetters = (s: ConsoleSnapshot): string => {
    const topics = [...new Set(s.deadLetters.map((r) => r.topic))]
    const replay = topics.map((t) => button(`Replay ${t}`, { action: 'replay-dead-letters', topic: t }, `replay-${t}`)).join('')
    const rows = s.deadLetters
      .map((r) => `<tr data-dead-letter="${esc(`${r.topic}-${r.partition}-${r.offset}`)}"><td>${esc(r.topic)}-${r.partition}@${esc(r.offset)}</td><td>${esc(r.key ?? 'null')}</td><td>${esc(r.value ?? 'null')}</td><td><dl>${Object.entries(r.headers).filter(([name]) => !name.endsWith('stacktrace')).map(([name, value]) => `<dt>${esc(name)}</dt><dd>${esc(value)}</dd>`).join('')}</dl></td></tr>`)
      .join('')
    return rows === '' ? '<p>No dead letters yet.</p>' : `<div>${replay}</div><table><thead><tr><th scope="col">Record</th><th scope="col">Key</th><th scope="col">Value</th><th scope="col">Headers</th></tr></thead><tbody>${rows}</tbody></table>`
  }

  const renderTour = (s: ConsoleSnapshot): string =>
    `<ol>${s.tour.map((step, index) => `<li class="${step.done ? 'done' : ''}" data-step="${index}"><strong>${esc(step.title)}.</strong> ${esc(step.sentence)} ${button(step.button, { action: 'tour-step', step: index }, `tour-${index}`)}${step.done ? ' <span aria-label="done">✓</span>' : ''}</li>`).join('')}</ol>`

  const renderTimeline = (s: ConsoleSnapshot): string =>
    `<ol reversed>${[...s.timeline]
      .reverse()
      .map((e) => {
        const details = (e.details ?? []).map((d) => `<li>${esc(d)}</li>`).join('')
        return `<li data-kind="${esc(e.kind ?? 'console')}"><time>+${((e.time - s.startedAt) / 1000).toFixed(1)} s</time> ${e.kind === undefined ? '' : `<span class="kind">${esc(e.kind)}</span> `}${esc(e.text)}${details === '' ? '' : `<ul>${details}</ul>`}</li>`
      })
      .join('')}</ol>`

  const renderTopicOptions = (s: ConsoleSnapshot): string =>
    [...new Set(s.partitions.map((p) => p.topic))].map((t) => `<option value="${esc(t)}">${esc(t)}</option>`).join('')

  const update = (s: ConsoleSnapshot): void => {
    const started = performance.now()
    snapshot = s
    render('tour', s.tour, () => renderTour(s))
    render('brokers', s.brokers, () => renderBrokers(s))
    render('topics', [s.partitions, s.logStart, s.groups.map((g) => g.members), [...topicPage]], () => renderTopics(s))
    render('groups', s.groups, () => renderGroups(s))
    render('records', s.records, () => renderRecords(s))
    render('transactions', s.transactions, () => renderTransactions(s))
    render('dead-letters', s.deadLetters, () => renderDeadLetters(s))
    render('timeline', s.timeline, () => renderTimeline(s))
    const select = byId('produce-topic') as HTMLSelectElement
    const chosen = select.value
    render('produce-topic', [...new Set(s.partitions.map((p) => p.topic))], () => renderTopicOptions(s))
    if (chosen !== '') select.value = chosen
    // How long this picture took to render, and the longest so far, for the responsiveness tests and anyone curious.
    const took = performance.now() - started
    const status = byId('status')
    status.dataset.renderMs = took.toFixed(1)
    status.dataset.maxRenderMs = Math.max(took, Number(status.dataset.maxRenderMs ?? 0)).toFixed(1)
    byId('status').textContent = `live · ${s.brokers.filter((b) => b.status === 'up').length}/${s.brokers.length} brokers up · ${s.partitions.length} partitions`
  }

  const post = async (action: Record<string, unknown>): Promise<void> => {
    const response = await fetch('/action', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(action) })
    const result = (await response.json()) as { ok: boolean; error?: string }
    byId('error').textContent = result.ok ? '' : (result.error ?? 'the action failed')
  }

  document.addEventListener('click', (event) => {
    const pageButton = event.target instanceof Element ? event.target.closest('button[data-page]') : null
    if (pageButton !== null && snapshot !== null) {
      // aria-disabled, not disabled: the button keeps keyboard focus on the first or last page.
      if (pageButton.getAttribute('aria-disabled') === 'true') return
      topicPage.set(pageButton.getAttribute('data-page') ?? '', Number(pageButton.getAttribute('data-to')))
      update(snapshot)
      return
    }
    const target = event.target instanceof Element ? event.target.closest('button[data-action]') : null
    if (target === null) return
    const action = JSON.parse(target.getAttribute('data-action') ?? '{}') as Record<string, unknown>
    void post(action)
  })
  document.addEventListener('submit', (event) => {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return
    event.preventDefault()
    const data = new FormData(form)
    if (form.dataset.form === 'produce') void post({ action: 'produce', topic: data.get('topic'), key: data.get('key'), value: data.get('value') })
    if (form.dataset.form === 'add-partitions') void post({ action: 'add-partitions', topic: form.dataset.topic, count: Number(data.get('count')) })
  })

  const events = new EventSource('/events')
  events.onmessage = (message: MessageEvent<string>) => update(JSON.parse(message.data) as ConsoleSnapshot)
  events.onerror = () => {
    byId('status').textContent = snapshot === null ? 'connecting…' : 'disconnected: the console was closed or the process ended'
  }
}
