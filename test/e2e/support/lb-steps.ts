import assert from 'node:assert/strict'
import type { HttpClient } from './http-client.js'

/**
 * Octavia API steps that a user (or Octavia's tempest plugin) takes on one
 * load balancer: each write answers its status code, then the object and the
 * load balancer go ACTIVE (or the object goes away). Every step asserts.
 */
export interface LbSteps {
  /** POST `{ key: body }` to `collection` (201); waits until the object and the load balancer are ACTIVE; returns the object. */
  create(collection: string, key: string, body: object): Promise<any>
  /** PUT `{ key: body }` to `item` (200); waits until the object and the load balancer are ACTIVE; returns the object. */
  update(item: string, key: string, body: object): Promise<any>
  /** DELETE `item` (204); waits until it is gone (404 or DELETED) and the load balancer ACTIVE. */
  remove(item: string): Promise<void>
  /** GET `item`'s object. */
  show(item: string): Promise<any>
}

/** Waits until `path` answers 404 or an object with provisioning_status DELETED (Octavia's "deleted or not found"). */
export async function waitGone(api: HttpClient, path: string, ms = 20000): Promise<void> {
  await api.waitUntil(path, r => r.status === 404 || Object.values(r.body ?? {}).some((o: any) => o?.provisioning_status === 'DELETED'), ms)
}

/** Steps on load balancer `lbId` through `api`. */
export function lbSteps(api: HttpClient, lbId: string): LbSteps {
  const lbPath = `/v2/lbaas/loadbalancers/${lbId}`
  const settle = async (item: string): Promise<any> => {
    const object = await api.waitStatus(item, 'ACTIVE')
    await api.waitStatus(lbPath, 'ACTIVE')
    return object
  }
  return {
    create: async (collection, key, body) => {
      const r = await api.request('POST', collection, { [key]: body })
      assert.equal(r.status, 201, `POST ${collection}: ${JSON.stringify(r.body)}`)
      return settle(`${collection}/${r.body[key].id}`)
    },
    update: async (item, key, body) => {
      const r = await api.request('PUT', item, { [key]: body })
      assert.equal(r.status, 200, `PUT ${item}: ${JSON.stringify(r.body)}`)
      return settle(item)
    },
    remove: async item => {
      const r = await api.request('DELETE', item)
      assert.equal(r.status, 204, `DELETE ${item}: ${JSON.stringify(r.body)}`)
      await waitGone(api, item)
      await api.waitStatus(lbPath, 'ACTIVE')
    },
    show: async item => {
      const r = await api.request('GET', item)
      assert.equal(r.status, 200, `GET ${item}: ${JSON.stringify(r.body)}`)
      return Object.values(r.body)[0]
    },
  }
}
