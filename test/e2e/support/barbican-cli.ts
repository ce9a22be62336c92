import { existsSync } from 'node:fs'
import { haveOpenstackCli } from './openstack-cli.js'

/** Where Debian's python3-barbicanclient (the CLI's `secret` commands) lives; scripts/setup.sh --tests installs it. */
const BARBICANCLIENT = '/usr/lib/python3/dist-packages/barbicanclient'

/** Why the `openstack secret …` tests cannot run here, or false when they can. */
export const secretCliMissing = (): string | false =>
  !haveOpenstackCli() ? 'the openstack CLI is not installed (scripts/setup.sh)'
    : !existsSync(BARBICANCLIENT) ? 'python3-barbicanclient is not installed (scripts/setup.sh --tests)' : false
