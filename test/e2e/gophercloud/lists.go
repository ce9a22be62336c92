package main

import (
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/l7policies"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/listeners"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/loadbalancers"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/monitors"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/pools"
	"github.com/gophercloud/gophercloud/pagination"
)

// lbPages lists load balancers with opts, following every rel "next", and
// returns their names per page.
func (s *scenario) lbPages(opts loadbalancers.ListOpts) ([][]string, error) {
	var pages [][]string
	err := loadbalancers.List(s.c.lb, opts).EachPage(func(page pagination.Page) (bool, error) {
		lbs, err := loadbalancers.ExtractLoadBalancers(page)
		names := []string{}
		for _, lb := range lbs {
			names = append(names, lb.Name)
		}
		pages = append(pages, names)
		return true, err
	})
	return pages, err
}

// lbNames is lbPages flattened.
func (s *scenario) lbNames(opts loadbalancers.ListOpts) ([]string, error) {
	pages, err := s.lbPages(opts)
	names := []string{}
	for _, p := range pages {
		names = append(names, p...)
	}
	return names, err
}

// lists runs the load balancer filters (name, the four tag filters as
// repeated parameters), paging with limit=1 sorted and tag-filtered, and one
// filtered list of every child kind.
func (s *scenario) lists() error {
	l := &s.r.Lists
	var err error
	filters := []struct {
		into *[]string
		opts loadbalancers.ListOpts
	}{
		{&l.ByName, loadbalancers.ListOpts{Name: "gc-db"}},
		{&l.Tags, loadbalancers.ListOpts{Tags: []string{"web", "blue"}}},
		{&l.TagsAny, loadbalancers.ListOpts{TagsAny: []string{"blue", "db"}}},
		{&l.NotTags, loadbalancers.ListOpts{TagsNot: []string{"web", "green"}}},
		{&l.NotTagsAny, loadbalancers.ListOpts{TagsNotAny: []string{"web"}}},
	}
	for _, f := range filters {
		if *f.into, err = s.lbNames(f.opts); err != nil {
			return err
		}
	}
	if l.SortedPages, err = s.lbPages(loadbalancers.ListOpts{Limit: 1, SortKey: "name", SortDir: "asc"}); err != nil {
		return err
	}
	if l.TaggedPages, err = s.lbPages(loadbalancers.ListOpts{Limit: 1, Tags: []string{"web"}}); err != nil {
		return err
	}
	return s.childLists()
}

// childLists lists each child kind by its parent (or type) filter.
func (s *scenario) childLists() error {
	l := &s.r.Lists
	var err error
	if l.Listeners, err = listenerIDs(s, listeners.ListOpts{LoadbalancerID: s.lbs[0]}); err != nil {
		return err
	}
	if l.Pools, err = poolIDs(s, pools.ListOpts{LoadbalancerID: s.lbs[0]}); err != nil {
		return err
	}
	if l.MemberPages, err = memberPages(s, pools.ListMembersOpts{Limit: 1, ProtocolPort: 8080}); err != nil {
		return err
	}
	if l.Monitors, err = monitorIDs(s, monitors.ListOpts{PoolID: s.ids.pool}); err != nil {
		return err
	}
	if l.L7Policies, err = policyIDs(s, l7policies.ListOpts{ListenerID: s.ids.listener}); err != nil {
		return err
	}
	l.Rules, err = ruleIDs(s, l7policies.ListRulesOpts{RuleType: l7policies.TypePath})
	return err
}

func listenerIDs(s *scenario, opts listeners.ListOpts) ([]string, error) {
	all, err := listeners.List(s.c.lb, opts).AllPages()
	if err != nil {
		return nil, err
	}
	items, err := listeners.ExtractListeners(all)
	ids := []string{}
	for _, x := range items {
		ids = append(ids, x.ID)
	}
	return ids, err
}

func poolIDs(s *scenario, opts pools.ListOpts) ([]string, error) {
	all, err := pools.List(s.c.lb, opts).AllPages()
	if err != nil {
		return nil, err
	}
	items, err := pools.ExtractPools(all)
	ids := []string{}
	for _, x := range items {
		ids = append(ids, x.ID)
	}
	return ids, err
}

// memberPages pages the pool's members and returns their names per page.
func memberPages(s *scenario, opts pools.ListMembersOpts) ([][]string, error) {
	var pages [][]string
	err := pools.ListMembers(s.c.lb, s.ids.pool, opts).EachPage(func(page pagination.Page) (bool, error) {
		items, err := pools.ExtractMembers(page)
		names := []string{}
		for _, m := range items {
			names = append(names, m.Name)
		}
		pages = append(pages, names)
		return true, err
	})
	return pages, err
}

func monitorIDs(s *scenario, opts monitors.ListOpts) ([]string, error) {
	all, err := monitors.List(s.c.lb, opts).AllPages()
	if err != nil {
		return nil, err
	}
	items, err := monitors.ExtractMonitors(all)
	ids := []string{}
	for _, x := range items {
		ids = append(ids, x.ID)
	}
	return ids, err
}

func policyIDs(s *scenario, opts l7policies.ListOpts) ([]string, error) {
	all, err := l7policies.List(s.c.lb, opts).AllPages()
	if err != nil {
		return nil, err
	}
	items, err := l7policies.ExtractL7Policies(all)
	ids := []string{}
	for _, x := range items {
		ids = append(ids, x.ID)
	}
	return ids, err
}

func ruleIDs(s *scenario, opts l7policies.ListRulesOpts) ([]string, error) {
	all, err := l7policies.ListRules(s.c.lb, s.ids.policy, opts).AllPages()
	if err != nil {
		return nil, err
	}
	items, err := l7policies.ExtractRules(all)
	ids := []string{}
	for _, x := range items {
		ids = append(ids, x.ID)
	}
	return ids, err
}
