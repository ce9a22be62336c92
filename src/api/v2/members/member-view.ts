import { notFound } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import { findMember } from '../../../db/repositories/member-repository.js'
import { tagsOf } from '../../../db/repositories/tag-repository.js'
import { renderMember, type MemberResponse } from './render.js'

/** Reads and renders one member with its tags (404 `Member <id> not found.`). */
export async function loadMemberView(db: Executor, memberId: string): Promise<MemberResponse> {
  const row = await findMember(db, memberId)
  if (!row) throw notFound('Member', memberId)
  const tags = await tagsOf(db, [memberId])
  return renderMember(row, tags.get(memberId) ?? [])
}
