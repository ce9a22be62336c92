package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gophercloud/gophercloud"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/apiversions"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/loadbalancers"
	"github.com/gophercloud/gophercloud/openstack/networking/v2/subnets"
)

// scenario is the state shared by the steps: the clients, the report, and the
// ids of what was created (lbs[0] carries every child).
type scenario struct {
	c      *clients
	r      *report
	subnet *subnets.Subnet
	lbs    []string
	ids    struct{ listener, pool, m1, m2, monitor, policy, rule string }
}

// The three load balancers: name and tags.
var lbSpecs = []struct {
	name string
	tags []string
}{
	{"gc-web-a", []string{"web", "blue"}},
	{"gc-web-b", []string{"web", "green"}},
	{"gc-db", []string{"db"}},
}

const waitTimeout = 60 * time.Second

// waitActive polls the load balancer until it is ACTIVE; ERROR or a timeout fails.
func (s *scenario) waitActive(id string) error {
	deadline := time.Now().Add(waitTimeout)
	for {
		lb, err := loadbalancers.Get(s.c.lb, id).Extract()
		if err != nil {
			return err
		}
		switch lb.ProvisioningStatus {
		case "ACTIVE":
			return nil
		case "ERROR":
			return fmt.Errorf("load balancer %s went ERROR", id)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("load balancer %s still %s after %s", id, lb.ProvisioningStatus, waitTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitGone polls the load balancer until GET answers 404.
func (s *scenario) waitGone(id string) error {
	deadline := time.Now().Add(waitTimeout)
	for {
		_, err := loadbalancers.Get(s.c.lb, id).Extract()
		var notFound gophercloud.ErrDefault404
		if errors.As(err, &notFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("load balancer %s still there after %s", id, waitTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// versions lists the root version document the way the Kubernetes cloud provider does.
func (s *scenario) versions() error {
	pages, err := apiversions.List(s.c.lb).AllPages()
	if err != nil {
		return err
	}
	s.r.Versions, err = apiversions.ExtractAPIVersions(pages)
	return err
}

// findSubnet finds SUBNET_NAME through the catalog's network endpoint, as Terraform's data source does.
func (s *scenario) findSubnet() error {
	pages, err := subnets.List(s.c.net, subnets.ListOpts{Name: os.Getenv("SUBNET_NAME")}).AllPages()
	if err != nil {
		return err
	}
	found, err := subnets.ExtractSubnets(pages)
	if err != nil {
		return err
	}
	if len(found) != 1 {
		return fmt.Errorf("%d subnets named %q", len(found), os.Getenv("SUBNET_NAME"))
	}
	s.subnet = &found[0]
	s.r.Subnet = s.subnet
	return nil
}

// memberAddress is the address `offset` past the subnet's network address.
func (s *scenario) memberAddress(offset byte) (string, error) {
	_, cidr, err := net.ParseCIDR(s.subnet.CIDR)
	if err != nil {
		return "", err
	}
	ip := cidr.IP.To4()
	if ip == nil {
		return "", fmt.Errorf("subnet %s is not IPv4", s.subnet.CIDR)
	}
	return net.IPv4(ip[0], ip[1], ip[2], ip[3]+offset).String(), nil
}

// createLoadBalancers creates the three tagged load balancers and waits for each.
func (s *scenario) createLoadBalancers() error {
	for _, spec := range lbSpecs {
		lb, err := loadbalancers.Create(s.c.lb, loadbalancers.CreateOpts{
			Name: spec.name, Description: "gophercloud " + spec.name, VipSubnetID: s.subnet.ID, Tags: spec.tags,
		}).Extract()
		if err != nil {
			return err
		}
		s.lbs = append(s.lbs, lb.ID)
		s.r.Created.LoadBalancers = append(s.r.Created.LoadBalancers, *lb)
		if err := s.waitActive(lb.ID); err != nil {
			return err
		}
	}
	return nil
}

// cleanup cascade-deletes whatever load balancer still exists (after a failed step).
func (s *scenario) cleanup() {
	for _, id := range s.lbs {
		if _, err := loadbalancers.Get(s.c.lb, id).Extract(); err != nil {
			continue
		}
		_ = s.waitActive(id)
		_ = loadbalancers.Delete(s.c.lb, id, loadbalancers.DeleteOpts{Cascade: true}).ExtractErr()
		_ = s.waitGone(id)
	}
}
