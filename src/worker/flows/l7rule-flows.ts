import type { OperationPayloads } from '../../bus/operations.js'
import { linear, type Flow } from '../engine/flow.js'
import { deleteL7Rule } from '../tasks/delete-tasks.js'
import { l7ruleToErrorOnRevert } from '../tasks/lifecycle-tasks.js'
import { noopDataPlaneTask } from '../tasks/noop-tasks.js'
import { markL7RuleActive, markParentsActive } from '../tasks/status-tasks.js'

/** Noop L7 rule create: rule ACTIVE and ONLINE (OFFLINE if disabled); policy, listener, LB ACTIVE. */
export const l7ruleCreateFlow = (): Flow<OperationPayloads['l7rule_create']> =>
  linear('l7rule-create', [
    l7ruleToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markL7RuleActive,
    markParentsActive(l7ruleToErrorOnRevert),
  ])

/** Noop L7 rule update: as create. */
export const l7ruleUpdateFlow = (): Flow<OperationPayloads['l7rule_update']> =>
  linear('l7rule-update', [
    l7ruleToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    markL7RuleActive,
    markParentsActive(l7ruleToErrorOnRevert),
  ])

/** Noop L7 rule delete: rule and tags removed; policy, listener, LB ACTIVE. */
export const l7ruleDeleteFlow = (): Flow<OperationPayloads['l7rule_delete']> =>
  linear('l7rule-delete', [
    l7ruleToErrorOnRevert,
    noopDataPlaneTask('update-listeners'),
    deleteL7Rule,
    markParentsActive(l7ruleToErrorOnRevert),
  ])
