// One member of bench/dataplane.ts in a process of its own (so the members do
// not share the bench's event loop): an HTTP server on <host> that answers its
// name; prints `{"port": N}` once listening and exits on SIGTERM or when its
// parent goes away (stdin closes).
//
//   node --import tsx bench/dataplane-backend.ts <name> <host>
import { startHttpBackend } from '../test/e2e/support/amphora-backends.js'

const [name = 'member', host = '127.0.0.1'] = process.argv.slice(2)
const backend = await startHttpBackend(name, host)
process.stdout.write(JSON.stringify({ port: backend.port }) + '\n')
const quit = (): void => { void backend.close().then(() => process.exit(0)) }
process.once('SIGTERM', quit)
process.stdin.on('end', quit)
process.stdin.resume()
