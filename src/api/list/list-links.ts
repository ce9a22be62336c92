import type { ListRequest, Query } from './list-params.js'

export interface Link { readonly href: string; readonly rel: 'next' | 'previous' }

/**
 * Builds Octavia's `<plural>_links`: `next` when the page is full and more rows
 * exist, `previous` when the request had a marker. Links keep `limit`, `sort`
 * and the attribute filters of the request.
 */
export function listLinks(
  baseUrl: string, query: Query, req: ListRequest, ids: readonly string[], hasMore: boolean,
): Link[] {
  const links: Link[] = []
  const keep = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || k === 'marker' || k === 'page_reverse' || k === 'limit') continue
    for (const item of Array.isArray(v) ? v : [v]) keep.append(k, item)
  }
  const href = (marker: string, reverse: boolean) => {
    const p = new URLSearchParams()
    if (req.limit !== null) p.set('limit', String(req.limit))
    for (const [k, v] of keep) p.append(k, v)
    p.set('marker', marker)
    if (reverse) p.set('page_reverse', 'True')
    return `${baseUrl}?${p.toString()}`
  }
  if (ids.length === 0) return links
  if (req.markerId !== null) links.push({ href: href(ids[0], true), rel: 'previous' })
  if (hasMore) links.push({ href: href(ids[ids.length - 1], false), rel: 'next' })
  return links
}
