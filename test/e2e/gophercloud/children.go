package main

import (
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/l7policies"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/listeners"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/loadbalancers"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/monitors"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/pools"
)

func intPtr(v int) *int             { return &v }
func strPtr(v string) *string       { return &v }
func tagsPtr(v ...string) *[]string { return &v }

// createChildren builds the tree below the first load balancer: a listener, a
// pool behind it with SOURCE_IP persistence, two members, an HTTP health
// monitor, a REDIRECT_TO_POOL policy and a PATH rule. Each create waits until
// the load balancer is ACTIVE again, as Terraform's provider does.
func (s *scenario) createChildren() error {
	for _, create := range []func() error{s.createListener, s.createPool, s.createMembers, s.createMonitor, s.createPolicy} {
		if err := create(); err != nil {
			return err
		}
		if err := s.waitActive(s.lbs[0]); err != nil {
			return err
		}
	}
	return nil
}

func (s *scenario) createListener() error {
	l, err := listeners.Create(s.c.lb, listeners.CreateOpts{
		LoadbalancerID: s.lbs[0], Protocol: listeners.ProtocolHTTP, ProtocolPort: 80, Name: "gc-http",
		Description: "front door", ConnLimit: intPtr(500),
	}).Extract()
	if err == nil {
		s.ids.listener, s.r.Created.Listener = l.ID, l
	}
	return err
}

func (s *scenario) createPool() error {
	p, err := pools.Create(s.c.lb, pools.CreateOpts{
		ListenerID: s.ids.listener, Protocol: pools.ProtocolHTTP, LBMethod: pools.LBMethodRoundRobin, Name: "gc-pool",
		Persistence: &pools.SessionPersistence{Type: "SOURCE_IP"},
	}).Extract()
	if err == nil {
		s.ids.pool, s.r.Created.Pool = p.ID, p
	}
	return err
}

// createMembers adds gc-m1 (weight 1) and gc-m2 (weight 5) at the subnet's .200 and .201.
func (s *scenario) createMembers() error {
	for i, name := range []string{"gc-m1", "gc-m2"} {
		address, err := s.memberAddress(byte(200 + i))
		if err != nil {
			return err
		}
		m, err := pools.CreateMember(s.c.lb, s.ids.pool, pools.CreateMemberOpts{
			Name: name, Address: address, ProtocolPort: 8080, Weight: intPtr(1 + 4*i), SubnetID: s.subnet.ID,
		}).Extract()
		if err != nil {
			return err
		}
		s.r.Created.Members = append(s.r.Created.Members, *m)
		if i == 0 {
			s.ids.m1 = m.ID
		} else {
			s.ids.m2 = m.ID
		}
		if err := s.waitActive(s.lbs[0]); err != nil {
			return err
		}
	}
	return nil
}

func (s *scenario) createMonitor() error {
	m, err := monitors.Create(s.c.lb, monitors.CreateOpts{
		PoolID: s.ids.pool, Type: monitors.TypeHTTP, Delay: 5, Timeout: 3, MaxRetries: 2, URLPath: "/health",
		ExpectedCodes: "200-204", HTTPMethod: "GET", Name: "gc-hm",
	}).Extract()
	if err == nil {
		s.ids.monitor, s.r.Created.Monitor = m.ID, m
	}
	return err
}

// createPolicy adds the L7 policy, waits, then adds its rule.
func (s *scenario) createPolicy() error {
	p, err := l7policies.Create(s.c.lb, l7policies.CreateOpts{
		ListenerID: s.ids.listener, Action: l7policies.ActionRedirectToPool, RedirectPoolID: s.ids.pool,
		Name: "gc-redirect", Position: 1,
	}).Extract()
	if err != nil {
		return err
	}
	s.ids.policy, s.r.Created.L7Policy = p.ID, p
	if err := s.waitActive(s.lbs[0]); err != nil {
		return err
	}
	rule, err := l7policies.CreateRule(s.c.lb, p.ID, l7policies.CreateRuleOpts{
		RuleType: l7policies.TypePath, CompareType: l7policies.CompareTypeStartWith, Value: "/api",
	}).Extract()
	if err == nil {
		s.ids.rule, s.r.Created.Rule = rule.ID, rule
	}
	return err
}

// showAll reads every object back with GET once everything is ACTIVE.
func (s *scenario) showAll() error {
	return s.readInto(&s.r.Shown)
}

// readInto GETs the three load balancers and every child into o.
func (s *scenario) readInto(o *objects) error {
	o.LoadBalancers = nil
	for _, id := range s.lbs {
		lb, err := loadbalancers.Get(s.c.lb, id).Extract()
		if err != nil {
			return err
		}
		o.LoadBalancers = append(o.LoadBalancers, *lb)
	}
	var err error
	if o.Listener, err = listeners.Get(s.c.lb, s.ids.listener).Extract(); err != nil {
		return err
	}
	if o.Pool, err = pools.Get(s.c.lb, s.ids.pool).Extract(); err != nil {
		return err
	}
	if o.Monitor, err = monitors.Get(s.c.lb, s.ids.monitor).Extract(); err != nil {
		return err
	}
	if o.L7Policy, err = l7policies.Get(s.c.lb, s.ids.policy).Extract(); err != nil {
		return err
	}
	if o.Rule, err = l7policies.GetRule(s.c.lb, s.ids.policy, s.ids.rule).Extract(); err != nil {
		return err
	}
	return s.readMembers(o)
}

func (s *scenario) readMembers(o *objects) error {
	o.Members = nil
	for _, id := range []string{s.ids.m1, s.ids.m2} {
		m, err := pools.GetMember(s.c.lb, s.ids.pool, id).Extract()
		if err != nil {
			return err
		}
		o.Members = append(o.Members, *m)
	}
	return nil
}
