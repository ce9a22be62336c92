package main

import (
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/l7policies"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/listeners"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/loadbalancers"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/monitors"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/pools"
)

// statusAndStats reads the first load balancer's status tree and statistics, and its listener's.
func (s *scenario) statusAndStats() error {
	var err error
	if s.r.Status, err = loadbalancers.GetStatuses(s.c.lb, s.lbs[0]).Extract(); err != nil {
		return err
	}
	if s.r.LBStats, err = loadbalancers.GetStats(s.c.lb, s.lbs[0]).Extract(); err != nil {
		return err
	}
	s.r.ListenerStats, err = listeners.GetStats(s.c.lb, s.ids.listener).Extract()
	return err
}

// updateAll changes one or two fields of every object, waiting for ACTIVE
// after each, then reads everything back.
func (s *scenario) updateAll() error {
	steps := []func() error{
		s.updateLoadBalancer, s.updateListener, s.updatePool, s.updateMember, s.updateMonitor, s.updatePolicy, s.updateRule,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
		if err := s.waitActive(s.lbs[0]); err != nil {
			return err
		}
	}
	return s.readInto(&s.r.AfterUpdate)
}

func (s *scenario) updateLoadBalancer() error {
	lb, err := loadbalancers.Update(s.c.lb, s.lbs[0], loadbalancers.UpdateOpts{
		Name: strPtr("gc-web-a2"), Description: strPtr("renamed"), Tags: tagsPtr("web", "blue", "edited"),
	}).Extract()
	if err == nil {
		s.r.Updated.LoadBalancers = []loadbalancers.LoadBalancer{*lb}
	}
	return err
}

func (s *scenario) updateListener() (err error) {
	s.r.Updated.Listener, err = listeners.Update(s.c.lb, s.ids.listener, listeners.UpdateOpts{
		Name: strPtr("gc-http2"), ConnLimit: intPtr(1000),
	}).Extract()
	return err
}

func (s *scenario) updatePool() (err error) {
	s.r.Updated.Pool, err = pools.Update(s.c.lb, s.ids.pool, pools.UpdateOpts{
		Name: strPtr("gc-pool2"), LBMethod: pools.LBMethodLeastConnections,
	}).Extract()
	return err
}

func (s *scenario) updateMonitor() (err error) {
	s.r.Updated.Monitor, err = monitors.Update(s.c.lb, s.ids.monitor, monitors.UpdateOpts{Name: strPtr("gc-hm2"), Delay: 7}).Extract()
	return err
}

func (s *scenario) updatePolicy() (err error) {
	s.r.Updated.L7Policy, err = l7policies.Update(s.c.lb, s.ids.policy, l7policies.UpdateOpts{
		Name: strPtr("gc-redirect2"), Description: strPtr("api to pool"),
	}).Extract()
	return err
}

func (s *scenario) updateRule() (err error) {
	s.r.Updated.Rule, err = l7policies.UpdateRule(s.c.lb, s.ids.policy, s.ids.rule, l7policies.UpdateRuleOpts{Value: "/v2"}).Extract()
	return err
}

func (s *scenario) updateMember() error {
	m, err := pools.UpdateMember(s.c.lb, s.ids.pool, s.ids.m1, pools.UpdateMemberOpts{
		Name: strPtr("gc-m1b"), Weight: intPtr(10),
	}).Extract()
	if err == nil {
		s.r.Updated.Members = []pools.Member{*m}
	}
	return err
}

// batchUpdate replaces the pool's members in one call: gc-m2 stays with
// weight 3, gc-m3 (.202) is new, gc-m1b is removed.
func (s *scenario) batchUpdate() error {
	m2, err := s.memberAddress(201)
	if err != nil {
		return err
	}
	m3, err := s.memberAddress(202)
	if err != nil {
		return err
	}
	err = pools.BatchUpdateMembers(s.c.lb, s.ids.pool, []pools.BatchUpdateMemberOpts{
		{Address: m2, ProtocolPort: 8080, Name: strPtr("gc-m2"), Weight: intPtr(3), SubnetID: &s.subnet.ID},
		{Address: m3, ProtocolPort: 8080, Name: strPtr("gc-m3"), Weight: intPtr(2), SubnetID: &s.subnet.ID},
	}).ExtractErr()
	if err != nil {
		return err
	}
	if err := s.waitActive(s.lbs[0]); err != nil {
		return err
	}
	all, err := pools.ListMembers(s.c.lb, s.ids.pool, pools.ListMembersOpts{SortKey: "name", SortDir: "asc"}).AllPages()
	if err != nil {
		return err
	}
	s.r.BatchMembers, err = pools.ExtractMembers(all)
	return err
}
