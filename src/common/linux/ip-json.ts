/** The parts of `ip -j link show` we read. */
export interface IpLink {
  readonly ifname: string
  readonly ifalias?: string
  readonly master?: string
  readonly operstate?: string
  readonly flags?: readonly string[]
  readonly link_type?: string
  readonly linkinfo?: { readonly info_kind?: string }
}

/** The parts of `ip -j addr show` we read. */
export interface IpAddrLink extends IpLink {
  readonly addr_info?: readonly { readonly family: 'inet' | 'inet6'; readonly local: string; readonly prefixlen: number; readonly scope?: string }[]
}

/** `address/prefix` of every global address of a link. */
export const globalAddresses = (link: IpAddrLink | undefined): string[] =>
  (link?.addr_info ?? []).filter(a => a.scope !== 'link' && a.scope !== 'host').map(a => `${a.local}/${a.prefixlen}`)
