"""openstacksdk against octavia-ts through a Keystone catalog (test/e2e/openstacksdk.test.ts).

Run with Debian's /usr/bin/python3 (python3-openstacksdk 0.101) and one JSON
argument: {"auth_url", "region", "member": user, "admin": user,
"versioned_network_url", "prefixed_network_url"}, each user as
{"username", "password", "project_name"}. The member (load-balancer_member)
discovers the network service, reads networks and subnets, and drives every
load-balancer resource through create, wait for ACTIVE, list, get, update and
delete; the admin handles quotas, flavors and availability zones. Prints one
JSON document: what the SDK returned at each step (Resource.to_dict), and
"error" with the traceback of the first step that failed.
"""
import ipaddress
import json
import sys
import traceback

import openstack
from openstack import resource

INTERVAL = 0.1  # seconds between two status polls
WAIT = 60  # seconds before a wait gives up


def connect(args, user, **extra):
    """A connection authenticated by password against the catalog's Keystone."""
    return openstack.connect(
        auth_url=args['auth_url'], region_name=args['region'], interface='public',
        username=user['username'], password=user['password'], project_name=user['project_name'],
        user_domain_name='Default', project_domain_name='Default', **extra)


def as_dict(res):
    return res.to_dict(computed=False)


def endpoint(proxy):
    data = proxy.get_endpoint_data()
    return {'api_version': list(data.api_version), 'url': data.url, 'catalog_url': data.catalog_url}


def discovery(args, out):
    """Version discovery from the catalog, from a versioned override and from the API port's prefix."""
    conn = connect(args, args['member'])
    out['catalog'] = endpoint(conn.network)
    for key in ('versioned_network_url', 'prefixed_network_url'):
        other = connect(args, args['member'], network_endpoint_override=args[key])
        out[key] = {**endpoint(other.network), 'subnets': [s.name for s in other.network.subnets()]}


def network(conn, out):
    """Subnets and networks listed, found by name (the SDK tries the name as an id first) and filtered."""
    net = conn.network
    out['subnets'] = [as_dict(s) for s in net.subnets()]
    out['networks'] = [as_dict(n) for n in net.networks()]
    out['found_subnet'] = as_dict(net.find_subnet('public-subnet', ignore_missing=False))
    out['found_network'] = as_dict(net.find_network('public', ignore_missing=False))
    out['subnets_by_name'] = [s.id for s in net.subnets(name='public-subnet')]
    out['missing_subnet'] = net.find_subnet('no-such-subnet')


class Scenario:
    """The load-balancer resources of one member, created top-down and deleted bottom-up."""

    def __init__(self, conn, out):
        self.lbp = conn.load_balancer
        self.conn = conn
        self.out = out
        self.made = []  # (kind, resource, delete function), in creation order
        self.lb = None

    def wait(self, res):
        return resource.wait_for_status(self.lbp, res, 'ACTIVE', ['ERROR'], INTERVAL, WAIT,
                                        attribute='provisioning_status')

    def lb_active(self):
        self.wait(self.lbp.get_load_balancer(self.lb.id))

    def crud(self, kind, create, get, listing, update, delete):
        """create → ACTIVE → list → get → update → ACTIVE; the steps' dicts under out[kind]."""
        step = self.out.setdefault(kind, {})
        res = create()
        step['created'] = as_dict(res)
        self.made.append((kind, res, delete))
        if kind == 'load_balancer':
            self.lb = res
        self.wait(res)
        self.lb_active()
        step['listed'] = [r.id for r in listing()]
        step['got'] = as_dict(get(res))
        update(res)
        self.lb_active()
        step['updated'] = as_dict(self.wait(get(res)))
        return res

    def run(self, subnet):
        p = self.lbp
        self.crud(
            'load_balancer',
            lambda: p.create_load_balancer(name='sdk-lb', description='made by openstacksdk',
                                           vip_subnet_id=subnet.id, tags=['sdk']),
            lambda r: p.get_load_balancer(r.id), lambda: p.load_balancers(name='sdk-lb'),
            lambda r: p.update_load_balancer(r, description='updated by openstacksdk'),
            lambda r: p.delete_load_balancer(r))
        self.out['vip_port'] = as_dict(self.conn.network.get_port(self.lb.vip_port_id))
        self.children(subnet)
        self.out['stats'] = as_dict(p.get_load_balancer_statistics(self.lb.id))

    def children(self, subnet):
        p = self.lbp
        address = self.out['member_address'] = str(ipaddress.ip_network(subnet.cidr)[200])
        lst = self.crud(
            'listener',
            lambda: p.create_listener(name='sdk-http', protocol='HTTP', protocol_port=80, load_balancer_id=self.lb.id),
            p.get_listener, lambda: p.listeners(load_balancer_id=self.lb.id),
            lambda r: p.update_listener(r, connection_limit=1000), p.delete_listener)
        pool = self.crud(
            'pool',
            lambda: p.create_pool(name='sdk-pool', protocol='HTTP', lb_algorithm='ROUND_ROBIN', listener_id=lst.id),
            p.get_pool, lambda: p.pools(loadbalancer_id=self.lb.id),
            lambda r: p.update_pool(r, lb_algorithm='LEAST_CONNECTIONS'), p.delete_pool)
        self.crud(
            'member',
            lambda: p.create_member(pool, name='sdk-m1', address=address,
                                    protocol_port=8080, subnet_id=subnet.id),
            lambda r: p.get_member(r, pool), lambda: p.members(pool),
            lambda r: p.update_member(r, pool, weight=10), lambda r: p.delete_member(r, pool))
        self.crud(
            'health_monitor',
            lambda: p.create_health_monitor(name='sdk-hm', pool_id=pool.id, type='HTTP', delay=5, timeout=3,
                                            max_retries=2, url_path='/health'),
            p.get_health_monitor, lambda: p.health_monitors(pool_id=pool.id),
            lambda r: p.update_health_monitor(r, delay=7), p.delete_health_monitor)
        policy = self.crud(
            'l7_policy',
            lambda: p.create_l7_policy(name='sdk-policy', listener_id=lst.id, action='REDIRECT_TO_POOL',
                                       redirect_pool_id=pool.id),
            p.get_l7_policy, lambda: p.l7_policies(listener_id=lst.id),
            lambda r: p.update_l7_policy(r, name='sdk-policy-2'), p.delete_l7_policy)
        self.crud(
            'l7_rule',
            lambda: p.create_l7_rule(policy, type='PATH', compare_type='STARTS_WITH', value='/api'),
            lambda r: p.get_l7_rule(r, policy), lambda: p.l7_rules(policy),
            lambda r: p.update_l7_rule(r, policy, rule_value='/v2'), lambda r: p.delete_l7_rule(r, policy))

    def delete_all(self):
        """Deletes bottom-up, waiting for the load balancer in between; out['deleted'][kind] = gone."""
        deleted = self.out.setdefault('deleted', {})
        for kind, res, delete in reversed(self.made):
            self.lb_active()
            delete(res)
            resource.wait_for_delete(self.lbp, res, INTERVAL, WAIT)
            if kind != 'load_balancer':
                self.lb_active()
            deleted[kind] = True


def quotas(a, project_id, out):
    """The admin reads, sets and resets the member's project quota."""
    out['before'] = as_dict(a.get_quota(project_id))
    out['updated'] = as_dict(a.update_quota(project_id, load_balancers=5, listeners=10, members=50))
    out['got'] = as_dict(a.get_quota(project_id))
    a.delete_quota(project_id)
    out['reset'] = as_dict(a.get_quota(project_id))


def flavors(a, m, out):
    """The admin makes a flavor (and its profile) that the member lists and finds."""
    profile = a.create_flavor_profile(name='sdk-fp', provider_name='noop_driver', flavor_data='{}')
    try:
        flavor = a.create_flavor(name='sdk-flavor', flavor_profile_id=profile.id, description='small', is_enabled=True)
        try:
            out['listed'] = [f.name for f in m.flavors()]
            out['got'] = as_dict(m.find_flavor('sdk-flavor'))
        finally:
            a.delete_flavor(flavor)
    finally:
        a.delete_flavor_profile(profile)


def zones(a, m, out):
    """The admin makes an availability zone (and its profile) that the member lists and finds."""
    profile = a.create_availability_zone_profile(name='sdk-azp', provider_name='noop_driver',
                                                 availability_zone_data='{}')
    try:
        zone = a.create_availability_zone(name='sdk-az', availability_zone_profile_id=profile.id,
                                          description='zone', is_enabled=True)
        try:
            out['listed'] = [z.name for z in m.availability_zones()]
            out['got'] = as_dict(m.find_availability_zone('sdk-az'))
        finally:
            a.delete_availability_zone(zone.name)  # an availability zone's id is its name
    finally:
        a.delete_availability_zone_profile(profile)


def admin_reads(admin, member, out):
    """Quotas, flavors and availability zones (the admin writes, the member reads), and the providers."""
    a, m = admin.load_balancer, member.load_balancer
    quotas(a, member.current_project_id, out.setdefault('quota', {}))
    flavors(a, m, out.setdefault('flavor', {}))
    zones(a, m, out.setdefault('availability_zone', {}))
    out['providers'] = sorted(p.name for p in m.providers())


def main():
    args = json.loads(sys.argv[1])
    out = {'discovery': {}, 'network': {}, 'error': None}
    scenario = None
    try:
        discovery(args, out['discovery'])
        member = connect(args, args['member'])
        network(member, out['network'])
        scenario = Scenario(member, out)
        scenario.run(member.network.find_subnet('public-subnet', ignore_missing=False))
        admin_reads(connect(args, args['admin']), member, out)
    except Exception:
        out['error'] = traceback.format_exc()
    finally:
        try:
            if scenario:
                scenario.delete_all()
        except Exception:
            out['error'] = (out['error'] or '') + traceback.format_exc()
    json.dump(out, sys.stdout, default=str)


if __name__ == '__main__':
    main()
