package main

import (
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/listeners"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/loadbalancers"
)

// cascadeDelete removes the first load balancer with everything below it
// (`?cascade=true`), the two others plainly, waits for 404 on each, then
// lists what is left.
func (s *scenario) cascadeDelete() error {
	for i, id := range s.lbs {
		var opts loadbalancers.DeleteOptsBuilder
		if i == 0 {
			opts = loadbalancers.DeleteOpts{Cascade: true}
		}
		if err := loadbalancers.Delete(s.c.lb, id, opts).ExtractErr(); err != nil {
			return err
		}
	}
	for _, id := range s.lbs {
		if err := s.waitGone(id); err != nil {
			return err
		}
		s.r.Deleted.Gone = append(s.r.Deleted.Gone, id)
	}
	var err error
	if s.r.Deleted.LoadBalancers, err = s.lbNames(loadbalancers.ListOpts{}); err != nil {
		return err
	}
	s.r.Deleted.Listeners, err = listenerIDs(s, listeners.ListOpts{})
	return err
}
