#!/usr/bin/env node
// Self-test of send.mjs against mock-server.mjs (no Pretzel needed):
//   node selftest.mjs          (after `npm ci` in this folder)
// Spawns send.mjs as the e2e test would, and checks what reached the collector.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockServer } from './mock-server.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const WRITE_KEY = 'wk_selftest'
const BASE = Date.parse('2026-11-01T10:00:00Z')

function runSend(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'send.mjs'), ...args], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

async function withRun({ users, writeKey = WRITE_KEY, mockKey = WRITE_KEY, responder, extra = [] }, check) {
  const dir = mkdtempSync(join(tmpdir(), 'segment-node-'))
  const mock = await startMockServer({ writeKey: mockKey, responder })
  try {
    const out = join(dir, 'out.json')
    const run = await runSend([
      '--host', mock.url, '--write-key', writeKey, '--users', String(users), '--out', out, ...extra,
    ])
    const result = JSON.parse(readFileSync(out, 'utf8'))
    await check({ run, result, mock })
  } finally {
    await mock.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Independent statement of the scripted journey: messageId -> expected fields. */
function expectedMessages(users) {
  const all = new Map()
  for (let i = 0; i < users; i++) {
    let k = 0
    const add = (m) => {
      const messageId = `m-${i}-${k}`
      all.set(messageId, { ...m, timestamp: new Date(BASE + i * 60_000 + k * 1000).toISOString() })
      k++
    }
    add({ type: 'page', anonymousId: `anon-${i}`, name: 'Home' })
    add({ type: 'track', anonymousId: `anon-${i}`, event: 'Product Viewed', properties: { sku: `sku-${i % 7}` } })
    add({ type: 'identify', anonymousId: `anon-${i}`, userId: `user-${i}`, traits: { email: `user${i}@example.com` } })
    if (i % 2 === 0) {
      add({ type: 'track', userId: `user-${i}`, event: 'Order Completed', properties: { revenue: 10 + (i % 5), currency: 'EUR' } })
    }
    if (i % 3 === 0) {
      add({ type: 'track', anonymousId: `old-${i}`, event: 'Catalog Opened' })
      add({ type: 'alias', userId: `user-${i}`, previousId: `old-${i}` })
    }
  }
  return all
}

test('20 users: every message arrives exactly once with the right fields', async () => {
  const users = 20
  await withRun({ users }, ({ run, result, mock }) => {
    assert.equal(run.code, 0, `send.mjs failed:\n${run.stdout}${run.stderr}`)
    assert.match(run.stdout.trim(), /^segment-node: users=20 sent=84 delivered=84 failed=0 /)
    assert.equal(run.stdout.trim().split('\n').length, 1)

    // HTTP level: Basic auth (checked by the mock), JSON, not gzipped, no retries.
    assert.ok(mock.requests.length >= 2, 'flushAt 50 should split 84 messages into >= 2 batches')
    assert.equal(mock.attempts.length, mock.requests.length, 'no rejected or retried attempts')
    for (const r of mock.requests) {
      assert.equal(r.headers['content-type'], 'application/json')
      assert.equal(r.headers['user-agent'], 'analytics-node-next/latest')
      assert.equal(r.gzipped, false)
      assert.equal(r.headers['x-retry-count'], undefined)
      assert.deepEqual(Object.keys(r.body).sort(), ['batch', 'sentAt', 'writeKey'])
      assert.equal(r.body.writeKey, WRITE_KEY)
      assert.ok(!Number.isNaN(Date.parse(r.body.sentAt)))
      assert.ok(r.body.batch.length <= 50)
    }

    const expected = expectedMessages(users)
    const got = mock.messages()
    assert.equal(got.length, expected.size)
    const seen = new Map()
    for (const m of got) {
      assert.ok(!seen.has(m.messageId), `duplicate ${m.messageId}`)
      seen.set(m.messageId, m)
    }
    // Same order as sent (the collector may rely on it for same-timestamp ties).
    assert.deepEqual(got.map((m) => m.messageId), [...expected.keys()])

    for (const [id, want] of expected) {
      const m = seen.get(id)
      assert.ok(m, `missing ${id}`)
      assert.equal(m.type, want.type, id)
      assert.equal(m.timestamp, want.timestamp, id)
      assert.equal(m.anonymousId, want.anonymousId, `${id} anonymousId`)
      assert.equal(m.userId, want.userId, `${id} userId`)
      assert.equal(m.previousId, want.previousId, `${id} previousId`)
      assert.equal(m.event, want.event, `${id} event`)
      if (want.name) assert.equal(m.name, want.name, id)
      if (want.properties) assert.deepEqual(m.properties, want.properties, id)
      if (want.traits) assert.deepEqual(m.traits, want.traits, id)
      assert.deepEqual(m.context.library, { name: '@segment/analytics-node', version: '3.1.0' })
      assert.equal(m._metadata.jsRuntime, 'node')
      assert.deepEqual(m.integrations, {})
      if (m.type === 'page') {
        assert.deepEqual(m.context.campaign, { source: 'newsletter', medium: 'email', name: 'spring' })
        assert.equal(m.context.page.url, 'https://shop.example/?utm_source=newsletter&utm_medium=email')
        assert.equal(m.context.page.referrer, '')
        assert.deepEqual(m.properties, { url: 'https://shop.example/?utm_source=newsletter', path: '/' })
      }
    }

    // The --out file agrees with what arrived.
    assert.deepEqual(result.failed, [])
    assert.equal(result.sent.length, expected.size)
    for (const s of result.sent) {
      const m = seen.get(s.messageId)
      assert.equal(s.type, m.type)
      assert.equal(s.anonymousId, m.anonymousId ?? null)
      assert.equal(s.userId, m.userId ?? null)
      assert.equal(s.previousId, m.previousId ?? null)
      assert.equal(s.event, m.event ?? null)
      assert.equal(s.timestamp, m.timestamp)
    }
    const persons = {}
    for (let i = 0; i < users; i++) {
      persons[`anon-${i}`] = `user-${i}`
      if (i % 3 === 0) persons[`old-${i}`] = `user-${i}`
    }
    assert.deepEqual(result.expectedPerson, persons)
  })
})

test('--seed namespaces messageIds', async () => {
  await withRun({ users: 1, extra: ['--seed', '42'] }, ({ run, result, mock }) => {
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.deepEqual(
      mock.messages().map((m) => m.messageId),
      ['m-42-0-0', 'm-42-0-1', 'm-42-0-2', 'm-42-0-3', 'm-42-0-4', 'm-42-0-5']
    )
    assert.deepEqual(result.expectedPerson, { 'anon-0': 'user-0', 'old-0': 'user-0' })
  })
})

test('503 then 429 (Retry-After: 1) are retried and still delivered once', async () => {
  const responder = (attempt) =>
    attempt === 0 ? { status: 503 } : attempt === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : undefined
  await withRun({ users: 3, responder }, ({ run, result, mock }) => {
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.deepEqual(mock.attempts.map((a) => a.status), [503, 429, 200])
    assert.deepEqual(mock.attempts.map((a) => a.headers['x-retry-count']), [undefined, '1', '2'])
    assert.equal(mock.messages().length, 13)
    assert.equal(new Set(mock.messages().map((m) => m.messageId)).size, 13)
    assert.deepEqual(result.failed, [])
  })
})

test('wrong write key: 401 is not retried, every message reported failed, exit 1', async () => {
  await withRun({ users: 3, writeKey: 'wk_wrong' }, ({ run, result, mock }) => {
    assert.equal(run.code, 1, run.stdout + run.stderr)
    assert.match(run.stdout, /failed=13 /)
    assert.deepEqual(mock.attempts.map((a) => a.status), [401])
    assert.equal(mock.messages().length, 0)
    assert.equal(result.failed.length, 13)
    assert.deepEqual(result.failed, result.sent.map((s) => s.messageId))
    assert.match(result.failureReasons['m-0-0'], /401/)
  })
})
