// Command gophercloud-scenario drives octavia-ts with Debian's gophercloud
// (golang-github-gophercloud-gophercloud-dev 0.12, the SDK behind Terraform's
// OpenStack provider) the way a Go client does: password auth against Keystone,
// the load-balancer and network endpoints from the catalog, `/v2.0/` paths,
// repeated tag parameters, paging by the `*_links` rel "next".
//
// It prints one JSON report of everything it saw on stdout (see report.go) and
// exits 1 after printing it when a step failed; test/e2e/gophercloud.test.ts
// builds it, runs it and checks the report field by field.
//
// Environment: OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME,
// OS_DOMAIN_NAME (the load-balancer_member who owns the objects);
// ADMIN_OS_USERNAME, ADMIN_OS_PASSWORD, ADMIN_OS_PROJECT_NAME (the cloud admin,
// for the quota calls); OS_REGION_NAME; SUBNET_NAME (the VIP and member subnet).
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	r := &report{}
	err := run(r)
	if err != nil {
		r.Error = err.Error()
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", " ")
	if encErr := out.Encode(r); encErr != nil {
		fmt.Fprintln(os.Stderr, "encoding the report:", encErr)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scenario failed:", err)
		os.Exit(1)
	}
}

// run connects and plays every step in order; the first error stops it, and
// whatever load balancers exist by then are cascade-deleted.
func run(r *report) error {
	c, err := connect()
	if err != nil {
		return err
	}
	defer func() { r.Requests = c.recorder.lines() }()
	s := &scenario{c: c, r: r}
	defer s.cleanup()
	steps := []struct {
		name string
		do   func() error
	}{
		{"versions", s.versions}, {"subnet", s.findSubnet}, {"create load balancers", s.createLoadBalancers},
		{"create children", s.createChildren}, {"show", s.showAll}, {"list", s.lists},
		{"status and stats", s.statusAndStats}, {"update", s.updateAll}, {"batch update members", s.batchUpdate},
		{"quotas", s.quotas}, {"cascade delete", s.cascadeDelete},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
		r.Steps = append(r.Steps, step.name)
	}
	return nil
}
