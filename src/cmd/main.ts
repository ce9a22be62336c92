import { readFileSync } from 'node:fs'
import { Command } from 'commander'
import { runApi, runServe } from './serve.js'
import { runAgent } from './agent.js'
import { openProcessContext } from './context.js'

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

const program = new Command('octavia-ts')
  .description('Load Balancing as a Service, compatible with OpenStack Octavia\'s v2 API')
  .version(version, '-V, --version')

program.command('serve').description('run every component in one process (API, worker, amphora agent, health manager, housekeeping)')
  .option('-c, --config <file>', 'INI configuration file (default: $OCTAVIA_TS_CONFIG)')
  .action(async (o: { config?: string }) => runServe(o.config, ['api', 'worker', 'housekeeping', 'health-manager']))

program.command('api').description('run the API only')
  .option('-c, --config <file>', 'INI configuration file')
  .action(async (o: { config?: string }) => runApi(o.config))

program.command('worker').description('run the controller worker only')
  .option('-c, --config <file>', 'INI configuration file')
  .action(async (o: { config?: string }) => runServe(o.config, ['worker']))

program.command('housekeeping').description('run housekeeping only (purge expired DELETED rows and finished jobs, rotate amphora agent certificates)')
  .option('-c, --config <file>', 'INI configuration file')
  .action(async (o: { config?: string }) => runServe(o.config, ['housekeeping']))

program.command('health-manager').description('run the health manager only (UDP heartbeats, operating statuses, statistics, failover of silent amphorae)')
  .option('-c, --config <file>', 'INI configuration file')
  .action(async (o: { config?: string }) => runServe(o.config, ['health-manager']))

program.command('agent').description('run the amphora agent only (HAProxy manager, mutual TLS)')
  .option('-c, --config <file>', 'INI configuration file')
  .action(async (o: { config?: string }) => runAgent(o.config))

program.command('db').description('database administration')
  .command('upgrade').description('apply the schema migrations')
  .option('-c, --config <file>', 'INI configuration file')
  .action(async (o: { config?: string }) => {
    const ctx = await openProcessContext({ config: o.config, migrate: true, name: 'db' })
    await ctx.database.close()
    process.stdout.write('database is up to date\n')
  })

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`octavia-ts: ${err.message}\n`)
  process.exit(1)
})
