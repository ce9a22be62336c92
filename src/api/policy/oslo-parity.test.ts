import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import type { Caller } from '../auth/caller.js'
import { policyCredentials } from '../auth/policy-credentials.js'
import { octaviaDefaultRules } from './default-rules.js'
import { PolicyEnforcer } from './policy-enforcer.js'
import { readPolicyFile } from './policy-file.js'

// Our engine against the real one: Debian's python3-oslo.policy (4.0.0, the
// release Octavia 11 ran with; installed with keystone) is given our registered
// defaults and, for every caller, rule, target project and [oslo_policy]
// setting, answers as Octavia 11's Policy class would (is_admin from
// context_is_admin on the context's to_dict(), scope failures as false).

/** Debian's interpreter, which sees the Debian packages (a python3 earlier on PATH may not). */
const PYTHON = '/usr/bin/python3'
const haveOslo = spawnSync(PYTHON, ['-c', 'import oslo_policy, oslo_config'], { stdio: 'ignore' }).status === 0
const KEYSTONE_ROLES_FILE = fileURLToPath(new URL('../../../docs/policy/keystone-default-roles-policy.yaml', import.meta.url))

const ORACLE = String.raw`
import json, sys, warnings
warnings.simplefilter('ignore')
from oslo_config import cfg
from oslo_policy import opts, policy
@policy.register('is_admin')
class IsAdminCheck(policy.Check):
    def __init__(self, kind, match):
        self.expected = match.lower() == 'true'
        super().__init__(kind, str(self.expected))
    def __call__(self, target, creds, enforcer):
        return creds['is_admin'] == self.expected
spec = json.load(sys.stdin)
def default(r):
    dep = policy.DeprecatedRule(r['name'], r['deprecated'], deprecated_reason='x', deprecated_since='W') if r.get('deprecated') else None
    return policy.RuleDefault(r['name'], r['check'], deprecated_rule=dep, scope_types=r.get('scopeTypes'))
out = []
for setting in spec['settings']:
    conf = cfg.ConfigOpts()
    opts._register(conf)
    conf([], project='oracle')
    conf.set_override('enforce_new_defaults', setting['newDefaults'], group='oslo_policy')
    conf.set_override('enforce_scope', setting['scope'], group='oslo_policy')
    conf.set_override('policy_file', setting['file'] or '/nonexistent/policy.yaml', group='oslo_policy')
    e = policy.Enforcer(conf)
    e.register_defaults([default(r) for r in spec['rules']])
    e.load_rules()
    e.use_conf = False  # the rules are loaded: no file look-up on every check
    for c in spec['callers']:
        d = {'user': 'u', 'project_id': c['project'], 'system_scope': c['system'], 'project': c['project'], 'domain': c['domain'],
             'user_domain': None, 'project_domain': None, 'is_admin': False, 'read_only': False, 'show_deleted': False,
             'roles': c['roles'], 'is_admin_project': True}
        is_admin = bool(e.enforce('context_is_admin', dict(d), dict(d)))
        creds = {'user_id': 'u', 'user_domain_id': None, 'system_scope': c['system'], 'domain_id': c['domain'], 'project_id': c['project'],
                 'project_domain_id': None, 'roles': c['roles'], 'is_admin_project': True, 'service_user_id': None,
                 'service_user_domain_id': None, 'service_project_id': None, 'service_project_domain_id': None, 'service_roles': [],
                 'is_admin': is_admin}
        for rule in spec['ruleNames']:
            for p in spec['projects']:
                out.append(bool(e.authorize(rule, {'project_id': p}, dict(creds), do_raise=False)))
print(json.dumps(out))
`

const P = 'project-p'
const Q = 'project-q'
const callers: readonly Caller[] = [
  ...[['load-balancer_member'], ['load-balancer_member', 'member', 'reader'], ['load-balancer_observer'], ['load-balancer_observer', 'reader'],
    ['member', 'reader'], ['reader'], ['service'], []].map(roles => ({ projectId: P, roles, isAdmin: false, userId: 'u' })),
  ...[['load-balancer_global_observer'], ['load-balancer_quota_admin'], ['load-balancer_admin'], ['admin', 'member', 'reader']]
    .map(roles => ({ projectId: Q, roles, isAdmin: false, userId: 'u' })),
  { projectId: '', roles: ['admin', 'member', 'reader'], isAdmin: false, userId: 'u', systemScope: 'all' },
  { projectId: '', roles: ['reader'], isAdmin: false, userId: 'u', systemScope: 'all' },
  { projectId: '', roles: ['admin'], isAdmin: false, userId: 'u', domainId: 'd1' },
]
const settings = [false, true].flatMap(newDefaults => [false, true].map(scope => ({ newDefaults, scope, file: '' })))
  .concat([{ newDefaults: false, scope: false, file: KEYSTONE_ROLES_FILE }])

test('when our enforcer and oslo.policy 4.0 judge the same callers, rules, targets and settings, then every answer agrees', { skip: !haveOslo && 'python3-oslo.policy is not installed' }, () => {
  const rules = octaviaDefaultRules()
  const ruleNames = rules.map(r => r.name)
  const projects = [P, Q]
  const spec = {
    rules, ruleNames, projects, settings,
    callers: callers.map(c => ({ project: c.projectId || null, roles: c.roles, system: c.systemScope ?? null, domain: c.domainId ?? null })),
  }
  const oracle = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE], { input: JSON.stringify(spec), encoding: 'utf8' })) as boolean[]
  const ours: boolean[] = []
  for (const s of settings) {
    const e = new PolicyEnforcer(rules, { enforceNewDefaults: s.newDefaults, enforceScope: s.scope, overrides: s.file ? readPolicyFile(s.file) : {} })
    for (const c of callers) {
      const creds = policyCredentials(c, e)
      for (const rule of ruleNames) for (const p of projects) ours.push(e.enforce(rule, { project_id: p }, creds))
    }
  }
  assert.equal(ours.length, oracle.length)
  const differ: string[] = []
  let i = 0
  for (const s of settings) for (const c of callers) for (const rule of ruleNames) for (const p of projects) {
    if (ours[i] !== oracle[i]) differ.push(`${JSON.stringify(s)} ${JSON.stringify(c.roles)}@${c.projectId || c.systemScope || c.domainId} ${rule} on ${p}: ours ${ours[i]}, oslo ${oracle[i]}`)
    i++
  }
  assert.deepEqual(differ, [])
  assert.ok(oracle.includes(true) && oracle.includes(false))
})
