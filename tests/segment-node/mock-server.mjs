#!/usr/bin/env node
// A tiny Segment-compatible collector for checking send.mjs without Pretzel.
// Loopback only. Accepts POST /v1/batch with `Authorization: Basic base64(writeKey:)`,
// gunzips `Content-Encoding: gzip`, records each accepted request and answers
// 200 {"success":true}.
//
// As a module: startMockServer({ writeKey, responder? }) -> { port, url, requests, attempts, close() }
//   responder(attemptIndex, req) may return { status, headers?, body? } to inject
//   failures (e.g. a 503 on the first attempt); return undefined for normal handling.
// As a script: node mock-server.mjs --write-key KEY [--port 0]  (prints the URL, Ctrl-C to stop)
import { createServer } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export function startMockServer({ writeKey, port = 0, responder } = {}) {
  if (!writeKey) throw new Error('writeKey is required')
  const expectedAuth = 'Basic ' + Buffer.from(`${writeKey}:`).toString('base64')
  /** accepted requests: { headers, body, rawBytes, gzipped } */
  const requests = []
  /** every request seen, accepted or not: { method, url, headers, status } */
  const attempts = []

  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const attempt = { method: req.method, url: req.url, headers: req.headers, status: 0 }
      attempts.push(attempt)
      const reply = (status, body, headers = {}) => {
        attempt.status = status
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
        res.end(typeof body === 'string' ? body : JSON.stringify(body))
      }

      if (req.method !== 'POST' || req.url.split('?')[0] !== '/v1/batch') {
        return reply(404, { success: false, error: 'not found' })
      }
      if (req.headers.authorization !== expectedAuth) {
        return reply(401, { success: false, error: 'bad write key' })
      }
      const injected = responder?.(attempts.length - 1, req)
      if (injected) return reply(injected.status, injected.body ?? '', injected.headers)

      let raw = Buffer.concat(chunks)
      const gzipped = /gzip/i.test(req.headers['content-encoding'] ?? '')
      let body
      try {
        if (gzipped) raw = gunzipSync(raw)
        body = JSON.parse(raw.toString('utf8'))
      } catch (err) {
        return reply(400, { success: false, error: `unreadable body: ${err.message}` })
      }
      if (!body || !Array.isArray(body.batch)) {
        return reply(400, { success: false, error: 'body has no batch array' })
      }
      requests.push({ headers: req.headers, body, rawBytes: raw.length, gzipped })
      reply(200, { success: true })
    })
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port
      resolve({
        port: actual,
        url: `http://127.0.0.1:${actual}`,
        requests,
        attempts,
        /** all messages from accepted requests, in arrival order */
        messages: () => requests.flatMap((r) => r.body.batch),
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.()
            server.close(() => r())
          }),
      })
    })
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const { values } = parseArgs({
    options: { 'write-key': { type: 'string' }, port: { type: 'string', default: '0' } },
  })
  if (!values['write-key']) {
    console.error('usage: node mock-server.mjs --write-key KEY [--port 0]')
    process.exit(2)
  }
  const mock = await startMockServer({ writeKey: values['write-key'], port: Number(values.port) })
  console.log(`mock Segment collector on ${mock.url}/v1/batch`)
  const stop = async () => {
    console.log(`accepted ${mock.requests.length} requests, ${mock.messages().length} messages`)
    await mock.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
