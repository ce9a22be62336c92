import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { L7_HARNESS_OPTIONS } from '../support/l7-fixtures.js'
import { buildTaggedTree, TREE_NAMES, type TaggedTree, type TreeCollection } from '../support/tagged-tree.js'

// Tag filters and paging in the forms clients send them: gophercloud repeats a
// parameter (`tags=a&tags=b`), the openstack CLI joins with commas
// (`tags=a,b`); both page by following the `<plural>_links` rel "next" as given.
// Objects x0 [a, b], x1 [b, c], x2 [] of every tagged kind (test/support/tagged-tree.ts).

/** Query forms that must all select the same objects, and those objects. */
const TAG_CASES: readonly { readonly forms: readonly string[]; readonly want: readonly string[] }[] = [
  { forms: ['tags=a&tags=b', 'tags=a,b', 'tags=a,b&tags=a'], want: ['x0'] },
  { forms: ['tags=b'], want: ['x0', 'x1'] },
  { forms: ['tags-any=a&tags-any=c', 'tags-any=a,c', 'tags-any=a&tags-any=c,a'], want: ['x0', 'x1'] },
  { forms: ['not-tags=a&not-tags=b', 'not-tags=a,b'], want: ['x1', 'x2'] },
  { forms: ['not-tags-any=a&not-tags-any=c', 'not-tags-any=a,c'], want: ['x2'] },
  { forms: ['not-tags-any=c'], want: ['x0', 'x2'] },
  { forms: ['tags=b&not-tags=c', 'tags=b&not-tags-any=c'], want: ['x0'] },
]

const PREFIXES = ['/v2', '/v2.0', '/v2/lbaas', '/v2.0/lbaas'] as const

/** What a client saw while following rel "next" from a first URL. */
interface Walk { readonly labels: string[]; readonly pageSizes: number[]; readonly hrefs: string[] }

for (const dialect of testDialects) {
  describe(`tag filters and paging as clients send them (${dialect})`, () => {
    let h: Harness
    let tree: TaggedTree
    before(async () => {
      h = await startHarness(dialect, L7_HARNESS_OPTIONS)
      tree = await buildTaggedTree(h, 'p-tags')
    })
    after(async () => { await h?.close() })

    const labels = async (c: TreeCollection, url: string): Promise<string[]> => {
      const r = await h.request('GET', url)
      assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`)
      return (r.body[c.plural] as unknown[]).map(c.label).sort()
    }

    /** Follows rel "next" (at most 10 pages) as gophercloud does: the href as given, nothing added. */
    const walk = async (c: TreeCollection, first: string): Promise<Walk> => {
      const seen: Walk = { labels: [], pageSizes: [], hrefs: [] }
      let url: string | null = first
      while (url !== null && seen.pageSizes.length < 10) {
        const r = await h.request('GET', url)
        assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`)
        const items = r.body[c.plural] as unknown[]
        seen.labels.push(...items.map(c.label))
        seen.pageSizes.push(items.length)
        const next = (r.body[`${c.plural}_links`] as { rel: string; href: string }[]).find(l => l.rel === 'next')
        if (next) seen.hrefs.push(next.href)
        url = next ? next.href.replace(/^http:\/\/localhost:80/, '') : null
      }
      return seen
    }

    it('when the tree is listed unfiltered, then each tagged collection holds x0, x1 and x2', async () => {
      for (const c of tree.collections) assert.deepEqual(await labels(c, `/v2.0/${c.path}`), [...TREE_NAMES], c.path)
    })

    for (const { forms, want } of TAG_CASES) {
      it(`when a list asks ${forms.join(' or ')}, then every tagged collection answers ${want.join(', ')}`, async () => {
        for (const c of tree.collections) {
          for (const form of forms) assert.deepEqual(await labels(c, `/v2.0/${c.path}?${form}`), want, `${c.path}?${form}`)
        }
      })
    }

    it('when a client pages with limit=1 under each prefix, then rel "next" stays on its path and it sees every object once', async () => {
      for (const c of tree.collections) {
        for (const prefix of PREFIXES) {
          const seen = await walk(c, `${prefix}/${c.path}?limit=1`)
          const where = `${prefix}/${c.path}`
          // NOTE: as Octavia, a full page has a "next" link, so the walk ends on an empty page.
          assert.deepEqual(seen.pageSizes, [1, 1, 1, 0], where)
          assert.deepEqual([...seen.labels].sort(), [...TREE_NAMES], where)
          for (const href of seen.hrefs) assert.ok(href.startsWith(`http://localhost:80${where}?limit=1&`), `${where}: ${href}`)
        }
      }
    })

    it('when a tag-filtered list is paged, then the next links keep the filter (Octavia drops it and pages unfiltered)', async () => {
      for (const c of tree.collections) {
        const seen = await walk(c, `/v2.0/${c.path}?tags=b&tags=a&limit=1`)
        assert.deepEqual(seen.labels, ['x0'], c.path)
        assert.deepEqual(seen.pageSizes, [1, 0], c.path)
        assert.match(seen.hrefs[0], /[?&]tags=b&tags=a&/, c.path)
      }
    })

    it('when a page is asked in reverse from a marker, then its rel "previous" link goes back on the same path', async () => {
      const c = tree.collections[0]
      const seen = await walk(c, `/v2.0/${c.path}?limit=2`)
      assert.deepEqual(seen.pageSizes, [2, 1])
      const second = await h.request('GET', seen.hrefs[0].replace(/^http:\/\/localhost:80/, ''))
      const prev = (second.body.loadbalancers_links as { rel: string; href: string }[]).find(l => l.rel === 'previous')
      assert.ok(prev, JSON.stringify(second.body.loadbalancers_links))
      assert.ok(prev.href.startsWith('http://localhost:80/v2.0/loadbalancers?limit=2&'), prev.href)
      const back = await h.request('GET', prev.href.replace(/^http:\/\/localhost:80/, ''))
      assert.deepEqual((back.body.loadbalancers as any[]).map(c.label).sort(), [...seen.labels.slice(0, 2)].sort())
    })
  })
}
