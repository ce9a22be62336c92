package main

import (
	"fmt"
	"net/http"
	"os"
	"sync"

	"github.com/gophercloud/gophercloud"
	"github.com/gophercloud/gophercloud/openstack"
)

// clients are the service clients of the scenario, all from the Keystone catalog.
type clients struct {
	lb       *gophercloud.ServiceClient // load-balancer, as the project member
	net      *gophercloud.ServiceClient // network, as the project member
	adminLB  *gophercloud.ServiceClient // load-balancer, as the cloud admin
	recorder *recorder
}

// recorder is an http.RoundTripper that notes "METHOD URL" of every request.
type recorder struct {
	mu    sync.Mutex
	seen  []string
	inner http.RoundTripper
}

func (t *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.seen = append(t.seen, req.Method+" "+req.URL.String())
	t.mu.Unlock()
	return t.inner.RoundTrip(req)
}

func (t *recorder) lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string{}, t.seen...)
}

// connect authenticates the member (OS_*) and the admin (ADMIN_OS_*) with
// passwords and finds both endpoints in the catalog of OS_REGION_NAME.
func connect() (*clients, error) {
	rec := &recorder{inner: http.DefaultTransport}
	member, err := openstack.AuthOptionsFromEnv()
	if err != nil {
		return nil, fmt.Errorf("member credentials: %w", err)
	}
	admin := member
	admin.Username = os.Getenv("ADMIN_OS_USERNAME")
	admin.Password = os.Getenv("ADMIN_OS_PASSWORD")
	admin.TenantName = os.Getenv("ADMIN_OS_PROJECT_NAME")
	eo := gophercloud.EndpointOpts{Region: os.Getenv("OS_REGION_NAME")}
	memberProvider, err := authenticate(member, rec)
	if err != nil {
		return nil, fmt.Errorf("member auth: %w", err)
	}
	adminProvider, err := authenticate(admin, rec)
	if err != nil {
		return nil, fmt.Errorf("admin auth: %w", err)
	}
	c := &clients{recorder: rec}
	if c.lb, err = openstack.NewLoadBalancerV2(memberProvider, eo); err != nil {
		return nil, err
	}
	if c.net, err = openstack.NewNetworkV2(memberProvider, eo); err != nil {
		return nil, err
	}
	if c.adminLB, err = openstack.NewLoadBalancerV2(adminProvider, eo); err != nil {
		return nil, err
	}
	return c, nil
}

func authenticate(opts gophercloud.AuthOptions, rec *recorder) (*gophercloud.ProviderClient, error) {
	provider, err := openstack.NewClient(opts.IdentityEndpoint)
	if err != nil {
		return nil, err
	}
	provider.HTTPClient = http.Client{Transport: rec}
	return provider, openstack.Authenticate(provider, opts)
}
