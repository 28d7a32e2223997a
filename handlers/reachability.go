package handlers

import (
	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/partials"
)

// reachability answers, for a group's VPC second-level domain, which of the
// account's VPCs reach it (each VPC of the group's region, as a VPC and as
// the VPC a hybrid network is joined to), whether a VPC of another region
// does, and whether the Internet does: R3–R6, R10 and R11 at a glance.
func (h *Handler) reachability(accountID string, d store.GroupDetail, vpcs []rules.VPC) partials.Reachability {
	g, inst := d.Group, d.Instance
	target := rules.Target{Name: g.VpcDomain(), Kind: rules.DomainVpc, Group: &g, Instance: &inst}
	out := partials.Reachability{GroupID: g.ID, Domain: g.VpcDomain(), Enabled: g.VpcDomainEnabled, Region: g.RegionID}
	decide := func(label, value string, c rules.Caller) {
		c.AccountID = accountID
		dec := rules.Decide(c, target, "HTTPS", h.cfg.Limits)
		out.Rows = append(out.Rows, partials.ReachRow{Caller: label, CallerValue: value, Decision: dec})
	}
	var elsewhere *rules.VPC
	for _, vpc := range vpcs {
		if vpc.RegionID != g.RegionID {
			if elsewhere == nil {
				elsewhere = &vpc
			}
			continue
		}
		decide("VPC "+vpc.Name+" ("+vpc.ID+")", "vpc:"+vpc.ID, rules.Caller{Kind: rules.CallerVpc, Vpc: &vpc})
		decide("On-premises network via CEN / IPsec VPN joined to VPC "+vpc.Name, "hybrid:"+vpc.ID, rules.Caller{Kind: rules.CallerHybrid, Vpc: &vpc})
		// The caller the page knows: the VPC bound to the group's
		// dedicated instance, else the first VPC of the region.
		if out.Caller == "" || vpc.ID == inst.VpcID {
			out.Caller = "vpc:" + vpc.ID
		}
	}
	if elsewhere != nil {
		decide("VPC "+elsewhere.Name+" ("+elsewhere.ID+") in "+rules.RegionName(elsewhere.RegionID)+", another region", "vpc:"+elsewhere.ID, rules.Caller{Kind: rules.CallerVpc, Vpc: elsewhere})
	} else {
		other := rules.VPC{ID: "any VPC outside " + g.RegionID, RegionID: otherRegion(g.RegionID)}
		decide("VPCs in other regions", "", rules.Caller{Kind: rules.CallerVpc, Vpc: &other})
	}
	decide("Internet", "internet", rules.Caller{Kind: rules.CallerInternet})
	for _, row := range out.Rows {
		if out.Recommend == "" {
			out.Recommend = row.Decision.Recommend
		}
	}
	if sameForAll(out.Rows) {
		out.All, out.Rows = &out.Rows[0].Decision, nil
	}
	return out
}

// sameForAll reports whether every caller gets the same answer for the same
// reason, so that the panel says it once.
func sameForAll(rows []partials.ReachRow) bool {
	if len(rows) == 0 {
		return false
	}
	for _, r := range rows[1:] {
		if r.Decision != rows[0].Decision {
			return false
		}
	}
	return true
}

// otherRegion is some region other than id, to show what a VPC there gets.
func otherRegion(id string) string {
	for _, r := range rules.Regions() {
		if r.ID != id {
			return r.ID
		}
	}
	return id
}

// vpcDomainReach is who reaches the VPC second-level domain of the group g
// on inst, and where it resolves for them, as rules.Reach answers for no
// caller in particular; accountID is the account asking. (No limits: R2
// never counts calls through a VPC domain.)
func vpcDomainReach(accountID string, g rules.Group, inst rules.Instance) rules.Verdict {
	t := rules.Target{Name: g.VpcDomain(), Kind: rules.DomainVpc, Group: &g, Instance: &inst}
	return rules.Reach(rules.Caller{Kind: rules.CallerNone, AccountID: accountID}, t, "", rules.Limits{})
}

// instanceReach is who would reach the VPC domains of the groups on inst
// once enabled, in rules.Reach's words: "only from the VPC vpc-… bound to
// the dedicated instance".
func instanceReach(accountID string, inst rules.Instance) string {
	g := rules.Group{AccountID: accountID, RegionID: inst.RegionID, InstanceID: inst.ID, VpcDomainEnabled: true}
	return vpcDomainReach(accountID, g, inst).Who()
}
