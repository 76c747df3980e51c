#!/usr/bin/env node
// Drives the official Segment Node client (@segment/analytics-node, pinned in
// package.json) against a Segment-compatible collector such as `pretzel serve`,
// and writes what it sent, what failed and the expected identity stitching to
// a JSON file for the end-to-end test to compare with what the collector stored.
//
// usage: node send.mjs --host http://127.0.0.1:PORT --write-key KEY --users N --out FILE
//                      [--seed S] [--flush-at 50] [--max-retries 5] [--timeout-ms 30000]
//
// Exit code: 0 when every message was reported delivered, 1 when any failed
// (or never got a delivery callback), 2 on bad usage.
import { realpathSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Analytics } from '@segment/analytics-node'

const USAGE =
  'usage: node send.mjs --host http://127.0.0.1:PORT --write-key KEY --users N --out FILE ' +
  '[--seed S] [--flush-at 50] [--max-retries 5] [--timeout-ms 30000]'

// Fixed base so runs are reproducible: message k of user i is stamped
// BASE + i minutes + k seconds.
const BASE_TIME_MS = Date.parse('2026-11-01T10:00:00Z')

function fail(message) {
  console.error(message)
  console.error(USAGE)
  process.exit(2)
}

function intOption(values, name, fallback, min) {
  const raw = values[name]
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw)) fail(`--${name} must be a non-negative integer, got "${raw}"`)
  const n = Number(raw)
  if (n < min) fail(`--${name} must be at least ${min}`)
  return n
}

function parseOptions(argv) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        'write-key': { type: 'string' },
        users: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        'flush-at': { type: 'string' },
        'max-retries': { type: 'string' },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    })
  } catch (err) {
    fail(err.message)
  }
  const v = parsed.values
  if (v.help) {
    console.log(USAGE)
    process.exit(0)
  }
  for (const required of ['host', 'write-key', 'users', 'out']) {
    if (!v[required]) fail(`missing --${required}`)
  }
  try {
    new URL(v.host)
  } catch {
    fail(`--host is not a URL: "${v.host}"`)
  }
  return {
    host: v.host,
    writeKey: v['write-key'],
    users: intOption(v, 'users', 0, 0),
    out: v.out,
    seed: v.seed,
    flushAt: intOption(v, 'flush-at', 50, 1),
    maxRetries: intOption(v, 'max-retries', 5, 0),
    timeoutMs: intOption(v, 'timeout-ms', 30000, 1),
  }
}

/**
 * The scripted journey, as a list of [method, params] in send order.
 * The seed, when given, only namespaces the messageIds (m-<seed>-<i>-<k>),
 * so two runs against one collector don't collide on messageId dedup.
 */
export function buildMessages(users, seed) {
  const calls = []
  for (let i = 0; i < users; i++) {
    let k = 0
    const next = () => {
      const id = seed === undefined ? `m-${i}-${k}` : `m-${seed}-${i}-${k}`
      const timestamp = new Date(BASE_TIME_MS + i * 60_000 + k * 1000)
      k++
      return { messageId: id, timestamp }
    }
    const anon = `anon-${i}`
    const user = `user-${i}`

    calls.push([
      'page',
      {
        ...next(),
        anonymousId: anon,
        name: 'Home',
        properties: { url: 'https://shop.example/?utm_source=newsletter', path: '/' },
        context: {
          campaign: { source: 'newsletter', medium: 'email', name: 'spring' },
          page: {
            url: 'https://shop.example/?utm_source=newsletter&utm_medium=email',
            referrer: '',
          },
        },
      },
    ])
    calls.push([
      'track',
      { ...next(), anonymousId: anon, event: 'Product Viewed', properties: { sku: `sku-${i % 7}` } },
    ])
    calls.push([
      'identify',
      { ...next(), userId: user, anonymousId: anon, traits: { email: `user${i}@example.com` } },
    ])
    if (i % 2 === 0) {
      calls.push([
        'track',
        {
          ...next(),
          userId: user,
          event: 'Order Completed',
          properties: { revenue: 10 + (i % 5), currency: 'EUR' },
        },
      ])
    }
    if (i % 3 === 0) {
      // An otherwise unrelated id that only the alias below ties to user-<i>.
      calls.push(['track', { ...next(), anonymousId: `old-${i}`, event: 'Catalog Opened' }])
      calls.push(['alias', { ...next(), previousId: `old-${i}`, userId: user }])
    }
  }
  return calls
}

export function expectedPersons(users) {
  const map = {}
  for (let i = 0; i < users; i++) {
    map[`anon-${i}`] = `user-${i}`
    if (i % 3 === 0) map[`old-${i}`] = `user-${i}`
  }
  return map
}

function describeError(err) {
  if (err === undefined || err === null) return 'unknown error'
  if (err instanceof Error) return err.message
  if (typeof err === 'object' && 'reason' in err) return describeError(err.reason)
  return String(err)
}

async function main() {
  const opts = parseOptions(process.argv.slice(2))

  const analytics = new Analytics({
    writeKey: opts.writeKey,
    host: opts.host,
    flushAt: opts.flushAt,
    maxRetries: opts.maxRetries,
  })

  let httpRequests = 0
  let retriedRequests = 0
  analytics.on('http_request', (req) => {
    httpRequests++
    if (req.headers['X-Retry-Count']) retriedRequests++
  })
  // 'error' is emitted once per failed message (code 'delivery_failure') and
  // for unexpected pipeline errors (code 'unknown'); the per-call callback
  // below is what decides delivered vs failed.
  const pipelineErrors = []
  analytics.on('error', (err) => {
    if (err?.code !== 'delivery_failure') pipelineErrors.push(describeError(err))
  })

  const calls = buildMessages(opts.users, opts.seed)
  const sent = []
  const outcome = new Map() // messageId -> undefined (delivered) | reason string
  let settle
  const allSettled = new Promise((resolve) => (settle = resolve))
  const checkSettled = () => outcome.size === calls.length && settle()
  checkSettled()

  for (const [method, params] of calls) {
    sent.push({
      messageId: params.messageId,
      type: method,
      anonymousId: params.anonymousId ?? null,
      userId: params.userId ?? null,
      previousId: params.previousId ?? null,
      event: params.event ?? null,
      timestamp: params.timestamp.toISOString(),
    })
    // The callback fires once the batch holding this message got a final
    // answer: err is undefined on a 2xx/3xx, else the failure reason.
    analytics[method](params, (err) => {
      outcome.set(params.messageId, err ? describeError(err) : undefined)
      checkSettled()
    })
  }

  await analytics.closeAndFlush({ timeout: opts.timeoutMs })
  // On timeout closeAndFlush aborts the in-flight retries and resolves early;
  // give the aborted batches a moment to report, then count silence as failure.
  await Promise.race([allSettled, new Promise((r) => setTimeout(r, 5000).unref())])

  const failed = []
  const failureReasons = {}
  for (const m of sent) {
    if (!outcome.has(m.messageId)) {
      failed.push(m.messageId)
      failureReasons[m.messageId] = 'no delivery callback'
    } else if (outcome.get(m.messageId) !== undefined) {
      failed.push(m.messageId)
      failureReasons[m.messageId] = outcome.get(m.messageId)
    }
  }

  const result = {
    sent,
    failed,
    expectedPerson: expectedPersons(opts.users),
    failureReasons,
    stats: { httpRequests, retriedRequests, library: `@segment/analytics-node@${analytics.VERSION}` },
  }
  writeFileSync(opts.out, JSON.stringify(result, null, 2) + '\n')

  const reasons = [...new Set(Object.values(failureReasons))].slice(0, 3)
  console.log(
    `segment-node: users=${opts.users} sent=${sent.length} delivered=${sent.length - failed.length} ` +
      `failed=${failed.length} requests=${httpRequests} retries=${retriedRequests} host=${opts.host} out=${opts.out}` +
      (reasons.length ? ` reasons=${JSON.stringify(reasons)}` : '')
  )
  for (const e of pipelineErrors.slice(0, 5)) console.error(`segment-node: pipeline error: ${e}`)
  process.exit(failed.length === 0 && pipelineErrors.length === 0 ? 0 : 1)
}

// Run only as a script, so buildMessages/expectedPersons can be imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((err) => {
    console.error(`segment-node: ${err?.stack ?? err}`)
    process.exit(1)
  })
}
