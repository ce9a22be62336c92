package main

import (
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/apiversions"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/l7policies"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/listeners"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/loadbalancers"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/monitors"
	"github.com/gophercloud/gophercloud/openstack/loadbalancer/v2/pools"
	"github.com/gophercloud/gophercloud/openstack/networking/v2/subnets"
)

// report is everything the scenario saw, as gophercloud decoded it.
type report struct {
	// Steps that completed, in order.
	Steps []string `json:"steps"`
	// Error of the step that failed (empty when all passed).
	Error string `json:"error,omitempty"`
	// Versions of the root versions list, in the order given.
	Versions []apiversions.APIVersion `json:"versions"`
	Subnet   *subnets.Subnet          `json:"subnet"`
	// Created holds each POST's answer, Shown each GET once the load balancer was ACTIVE again.
	Created objects `json:"created"`
	Shown   objects `json:"shown"`
	Lists   lists   `json:"lists"`
	// Status is the load balancer's status tree; LBStats and ListenerStats their statistics.
	Status        *loadbalancers.StatusTree `json:"status"`
	LBStats       *loadbalancers.Stats      `json:"lbStats"`
	ListenerStats *listeners.Stats          `json:"listenerStats"`
	// Updated holds each PUT's answer, AfterUpdate each GET once ACTIVE again.
	Updated     objects `json:"updated"`
	AfterUpdate objects `json:"afterUpdate"`
	// BatchMembers is the pool's member list after the batch update.
	BatchMembers []pools.Member `json:"batchMembers"`
	Quota        quotaReport    `json:"quota"`
	Deleted      deleteReport   `json:"deleted"`
	// Requests are "METHOD URL" of every HTTP request sent, Keystone's included.
	Requests []string `json:"requests"`
}

// objects are one of each kind; LoadBalancers holds web-a, web-b and db, in that order.
type objects struct {
	LoadBalancers []loadbalancers.LoadBalancer `json:"loadbalancers,omitempty"`
	Listener      *listeners.Listener          `json:"listener,omitempty"`
	Pool          *pools.Pool                  `json:"pool,omitempty"`
	Members       []pools.Member               `json:"members,omitempty"`
	Monitor       *monitors.Monitor            `json:"monitor,omitempty"`
	L7Policy      *l7policies.L7Policy         `json:"l7policy,omitempty"`
	Rule          *l7policies.Rule             `json:"rule,omitempty"`
}

// lists are the names (or ids) each list call gave, in the order given;
// the *Pages fields hold one entry per page that gophercloud handed over.
type lists struct {
	ByName           []string   `json:"byName"`
	Tags             []string   `json:"tags"`
	TagsAny          []string   `json:"tagsAny"`
	NotTags          []string   `json:"notTags"`
	NotTagsAny       []string   `json:"notTagsAny"`
	SortedPages      [][]string `json:"sortedPages"`
	TaggedPages      [][]string `json:"taggedPages"`
	Listeners        []string   `json:"listeners"`
	Pools            []string   `json:"pools"`
	MemberPages      [][]string `json:"memberPages"`
	Monitors         []string   `json:"monitors"`
	L7Policies       []string   `json:"l7policies"`
	Rules            []string   `json:"rules"`
	AllLoadBalancers []string   `json:"allLoadBalancers"`
}

// quotaReport is the member's project quota as seen at each step of set, read, reset.
type quotaReport struct {
	ProjectID   string                 `json:"projectId"`
	Set         map[string]interface{} `json:"set"`
	Read        map[string]interface{} `json:"read"`
	AfterDelete map[string]interface{} `json:"afterDelete"`
}

// deleteReport is what was left after the deletes: every id that answered 404, and the lists.
type deleteReport struct {
	Gone          []string `json:"gone"`
	LoadBalancers []string `json:"loadbalancers"`
	Listeners     []string `json:"listeners"`
}
