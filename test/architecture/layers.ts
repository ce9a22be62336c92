/**
 * The layers of src/ (docs/architecture.md): for each top-level folder, the
 * other top-level folders its files may import. A folder may always import
 * its own files. Everything not listed is forbidden; there is no exception
 * list. `cmd` is the composition root: it may import anything and nothing
 * imports it.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  common: [],
  pki: ['common'],
  model: ['common'],
  db: ['common', 'model'],
  bus: ['common', 'model'],
  'amphora-api': ['common', 'model'],
  agent: ['common', 'pki', 'amphora-api'],
  drivers: ['common', 'pki', 'model', 'db', 'bus', 'amphora-api'],
  api: ['common', 'pki', 'model', 'db', 'bus'],
  worker: ['common', 'pki', 'model', 'db', 'bus', 'amphora-api', 'drivers'],
  'health-manager': ['common', 'model', 'db', 'bus', 'amphora-api'],
  housekeeping: ['common', 'pki', 'model', 'db', 'bus', 'amphora-api', 'drivers'],
  cmd: ['common', 'pki', 'model', 'db', 'bus', 'amphora-api', 'agent', 'drivers', 'api', 'worker', 'health-manager', 'housekeeping'],
}
