package main

import (
	"github.com/gophercloud/gophercloud"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/loadbalancers"
)

// NOTE: Debian's gophercloud 0.12 has no loadbalancer/v2/quotas package yet;
// these calls send what its later versions send: `/v2.0/quotas/{project_id}`
// (no `lbaas/`), a `{"quota": {...}}` body, 202 expected for PUT and DELETE.

// quotaBody is Octavia's quota object (both spellings of the load balancer count).
type quotaBody struct {
	Quota map[string]interface{} `json:"quota"`
}

// quotas: the admin sets the member's project quota, the member reads it, the admin resets it.
func (s *scenario) quotas() error {
	q := &s.r.Quota
	lb, err := loadbalancers.Get(s.c.lb, s.lbs[0]).Extract()
	if err != nil {
		return err
	}
	q.ProjectID = lb.ProjectID
	url := s.c.adminLB.ServiceURL("quotas", q.ProjectID)
	var set quotaBody
	_, err = s.c.adminLB.Put(url, quotaBody{Quota: map[string]interface{}{"loadbalancer": 10, "listener": 20, "member": 30}},
		&set, &gophercloud.RequestOpts{OkCodes: []int{202}})
	if err != nil {
		return err
	}
	q.Set = set.Quota
	if q.Read, err = s.readQuota(); err != nil {
		return err
	}
	if _, err = s.c.adminLB.Delete(url, &gophercloud.RequestOpts{OkCodes: []int{202, 204}}); err != nil {
		return err
	}
	q.AfterDelete, err = s.readQuota()
	return err
}

// readQuota is the member's GET of her own project's quota.
func (s *scenario) readQuota() (map[string]interface{}, error) {
	var got quotaBody
	_, err := s.c.lb.Get(s.c.lb.ServiceURL("quotas", s.r.Quota.ProjectID), &got, nil)
	return got.Quota, err
}
