// The baseline of bench/api.ts: fastify (the framework octavia-ts uses) in its
// own process, answering with the same JSON bodies the real service gave, but
// with no routing logic, validation, database or worker behind it. The ratio
// "octavia-ts / baseline" is then what our own code costs on top of HTTP + JSON.
//
// Usage: node --import tsx bench/baseline-server.ts <port> <samples.json>
// samples.json: {"one": <GET one body>, "list": <GET list body>, "create": <POST answer body>};
// `PUT /samples/<key>` replaces one.
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

const [port, samplesFile] = process.argv.slice(2)
const samples = JSON.parse(readFileSync(samplesFile, 'utf8')) as Record<'one' | 'list' | 'create', unknown>
// Bodies are serialised on every request, as the service does.
const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 })
app.get('/hello', async () => ({ hello: 'world' }))
app.get('/one', async () => samples.one)
app.get('/list', async () => samples.list)
app.post('/create', async (req, reply) => {
  if (typeof req.body !== 'object' || req.body === null) return reply.code(400).send({ error: 'no body' })
  return reply.code(201).send(samples.create)
})
// The bench replaces a sample once the real service can produce it (e.g. a list of N objects).
app.put<{ Params: { key: 'one' | 'list' | 'create' } }>('/samples/:key', async (req, reply) => {
  samples[req.params.key] = req.body
  return reply.code(204).send()
})
await app.listen({ host: '127.0.0.1', port: Number(port) })
process.stdout.write('ready\n')
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void app.close().then(() => process.exit(0)))
