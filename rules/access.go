package rules

import (
	"fmt"
	"strings"
)

// The access decision (R11): who reaches which name, at which address.
//
// Decide answers by this table, top to bottom; the first row that matches
// decides. "vpc" callers are in a VPC; "hybrid" callers are an on-premises
// network joined to a VPC by CEN or an IPsec VPN; the VPC of either is
// Caller.Vpc.
//
//	name                   caller          instance                          outcome                                          rule
//	any                    any             any, protocol not HTTP or HTTPS   refused, no address                              R11
//	any                    vpc/hybrid      without Caller.Vpc                refused, no address                              R11
//	unknown                any             -                                 refused, no address                              R11
//	public                 any             any                               allowed, public address, R2's daily limit        R2
//	VPC, not enabled       any             any                               refused, no address: the name does not exist     R2
//	VPC                    internet        any                               refused, no address                              R11
//	VPC                    vpc/hybrid      shared, VPC in another region     refused, no address                              R3
//	VPC                    vpc             shared, VPC in its region         allowed, 100.64.0.0/10 address, unlimited        R3
//	VPC                    hybrid          shared, VPC in its region         refused, 100.x address not routable; recommend   R10
//	                                                                         a dedicated instance
//	VPC                    vpc/hybrid      dedicated, not bound              refused, no address                              R5
//	VPC                    vpc/hybrid      dedicated, bound to another VPC   refused, no address                              R4
//	VPC                    vpc             dedicated, bound to caller's VPC  allowed, endpoint address, unlimited             R4
//	VPC                    hybrid          dedicated, bound to joined VPC    allowed, endpoint address, unlimited             R10
//	custom INTRANET        any             shared                            refused, no address (not supported)              R9
//	custom INTERNET        as public; then HTTPS without a certificate on the domain: refused, address kept                  R9
//	custom INTRANET        as VPC;    then HTTPS without a certificate on the domain: refused, address kept                  R9

// CallerKind is where a call comes from.
type CallerKind string

const (
	CallerVpc      CallerKind = "vpc"      // an instance in a VPC
	CallerHybrid   CallerKind = "hybrid"   // an on-premises network joined to a VPC by CEN or an IPsec VPN
	CallerInternet CallerKind = "internet" // anywhere on the Internet
)

// ParseCallerKind reads a caller kind in any case.
func ParseCallerKind(s string) (CallerKind, bool) {
	switch k := CallerKind(strings.ToLower(strings.TrimSpace(s))); k {
	case CallerVpc, CallerHybrid, CallerInternet:
		return k, true
	}
	return "", false
}

// Caller is who asks. Vpc is the caller's VPC; for a hybrid caller, the VPC
// its on-premises network is joined to; nil for the Internet.
type Caller struct {
	Kind CallerKind
	Vpc  *VPC
}

// DomainKind is what a name is to API Gateway.
type DomainKind string

const (
	DomainPublic  DomainKind = "public"  // a group's public second-level domain
	DomainVpc     DomainKind = "vpc"     // a group's VPC second-level domain
	DomainCustom  DomainKind = "custom"  // a name outside alicloudapi.com, possibly a custom domain
	DomainUnknown DomainKind = "unknown" // nothing API Gateway serves
)

// ParseDerivedDomain recognises the second-level domains of SPEC.md §1:
// "<32 hex>-<region>.alicloudapi.com" (public) and
// "<32 hex>-<region>-vpc.alicloudapi.com" (VPC), for a region of the
// catalogue, in any case and with or without the trailing dot. ok is true
// for those only. Otherwise kind is DomainCustom for a well-formed name
// outside alicloudapi.com (the store looks it up among custom domains) and
// DomainUnknown for anything else.
func ParseDerivedDomain(name string) (kind DomainKind, groupID, regionID string, ok bool) {
	n := NormalizeDomain(name)
	host, under := strings.CutSuffix(n, "."+DomainSuffix)
	if !under {
		if checkDomainName(n) == nil {
			return DomainCustom, "", "", false
		}
		return DomainUnknown, "", "", false
	}
	kind = DomainPublic
	if h, vpc := strings.CutSuffix(host, "-vpc"); vpc {
		kind, host = DomainVpc, h
	}
	if len(host) < 34 || host[32] != '-' || !IsGroupID(host[:32]) {
		return DomainUnknown, "", "", false
	}
	groupID, regionID = host[:32], host[33:]
	if _, known := RegionByID(regionID); !known {
		return DomainUnknown, "", "", false
	}
	return kind, groupID, regionID, true
}

// Target is the name asked about and the facts the store found for it.
// Group is nil when the name matches nothing of the caller's account;
// Instance is the group's instance; Custom is set for a custom domain.
type Target struct {
	Name     string
	Kind     DomainKind
	Group    *Group
	Instance *Instance
	Custom   *CustomDomain
}

// Decision is the answer of the access check.
type Decision struct {
	Allowed    bool
	Address    string // what the name resolves to for this caller; "" when it does not resolve
	Reason     string // plain words, full sentences
	Rule       string // the rule of SPEC.md §2 that decides: "R3", "R4", ...
	DailyLimit string // "1,000 calls a day" or "unlimited" when allowed; "" when refused
	Recommend  string // advice, such as R10's dedicated instance for hybrid callers on a shared instance
}

// ParseProtocol reads "http" or "https" in any case and returns it in
// upper case.
func ParseProtocol(s string) (string, bool) {
	switch p := strings.ToUpper(strings.TrimSpace(s)); p {
	case "HTTP", "HTTPS":
		return p, true
	}
	return "", false
}

// Decide answers whether caller c reaches target t over protocol, at which
// address, and why, by the table at the top of this file.
func Decide(c Caller, t Target, protocol string, limits Limits) Decision {
	proto, ok := ParseProtocol(protocol)
	if !ok {
		return refuse("R11", "The protocol %q is not one API Gateway serves. Call over HTTP or HTTPS.", protocol)
	}
	switch c.Kind {
	case CallerInternet:
	case CallerVpc, CallerHybrid:
		if c.Vpc == nil {
			return refuse("R11", "Choose the VPC the call comes from.")
		}
	default:
		return refuse("R11", "The caller kind %q does not exist. Choose a VPC, a hybrid network joined to a VPC, or the Internet.", c.Kind)
	}
	name := NormalizeDomain(t.Name)
	g := t.Group
	switch {
	case g == nil:
	case t.Kind == DomainPublic && name == g.PublicDomain():
		return decidePublic(*g, limits)
	case t.Kind == DomainVpc && name == g.VpcDomain():
		return decideVpc(c, *g, t.Instance)
	case t.Kind == DomainCustom && t.Custom != nil && t.Custom.GroupID == g.ID:
		return decideCustom(c, t, proto, limits)
	}
	return refuse("R11", "The name %s does not resolve: it is neither a second-level domain nor a custom domain of any of your API groups.", quoteList([]string{name}, 1))
}

func refuse(rule, format string, args ...any) Decision {
	return Decision{Rule: rule, Reason: fmt.Sprintf(format, args...)}
}

func decidePublic(g Group, limits Limits) Decision {
	limit := FormatDailyLimit(limits.PublicDaily(g.RegionID))
	return Decision{
		Allowed:    true,
		Address:    PublicAddress(g.RegionID),
		Rule:       "R2",
		DailyLimit: limit,
		Reason: fmt.Sprintf("The public second-level domain %s of the group %q resolves to API Gateway's Internet address in %s and serves callers anywhere, limited to %s.",
			g.PublicDomain(), g.Name, RegionName(g.RegionID), limit),
	}
}

func decideVpc(c Caller, g Group, inst *Instance) Decision {
	domain := g.VpcDomain()
	switch {
	case !g.VpcDomainEnabled:
		return refuse("R2", "The VPC second-level domain of the group %q is not enabled, so %s does not exist yet. Enable it on the Group Details page.", g.Name, domain)
	case c.Kind == CallerInternet:
		return refuse("R11", "The Internet never resolves a VPC second-level domain: %s answers only inside VPCs. Call from a VPC, or call the public second-level domain %s.", domain, g.PublicDomain())
	case inst == nil:
		return refuse("R11", "The instance of the group %q is not known, so %s does not resolve.", g.Name, domain)
	case inst.Dedicated():
		return decideDedicated(c, g, *inst)
	default:
		return decideShared(c, g, *inst)
	}
}

func decideShared(c Caller, g Group, inst Instance) Decision {
	domain := g.VpcDomain()
	if c.Vpc.RegionID != inst.RegionID {
		return refuse("R3", "The group %q is on the shared instance %s in %s, which only VPCs of that region reach; the VPC %s is in %s.",
			g.Name, inst.ID, RegionName(inst.RegionID), c.Vpc.ID, RegionName(c.Vpc.RegionID))
	}
	addr := SharedVpcAddress(g.ID)
	if c.Kind == CallerHybrid {
		return Decision{
			Address: addr,
			Rule:    "R10",
			Reason: fmt.Sprintf("The group %q is on the shared instance %s, so %s resolves to %s, a 100.x.x.x address that an on-premises network joined to the VPC %s cannot route.",
				g.Name, inst.ID, domain, addr, c.Vpc.ID),
			Recommend: fmt.Sprintf("Use a dedicated instance: create one in %s, bind it to the VPC %s and move the group %q to it. Its VPC second-level domain then resolves to a private endpoint address in your vSwitch, which your network can route.",
				RegionName(inst.RegionID), c.Vpc.ID, g.Name),
		}
	}
	return Decision{
		Allowed:    true,
		Address:    addr,
		Rule:       "R3",
		DailyLimit: Unlimited,
		Reason: fmt.Sprintf("The group %q is on the shared instance %s, which every VPC in %s reaches: %s resolves to %s. Calls through it are unlimited.",
			g.Name, inst.ID, RegionName(inst.RegionID), domain, addr),
	}
}

func decideDedicated(c Caller, g Group, inst Instance) Decision {
	domain := g.VpcDomain()
	switch {
	case !inst.Bound():
		return refuse("R5", "The group %q is on the dedicated instance %s, which is not bound to a VPC, so no VPC reaches it. Bind the instance to a VPC on the Dedicated Instances page.",
			g.Name, inst.ID)
	case inst.VpcID != c.Vpc.ID:
		bound := ""
		if c.Vpc.AccountID == inst.AccountID {
			bound = " (" + inst.VpcID + ")"
		}
		return refuse("R4", "The group %q is on the dedicated instance %s, which only the VPC bound to it%s reaches; the VPC %s is not that VPC.",
			g.Name, inst.ID, bound, c.Vpc.ID)
	case c.Kind == CallerHybrid:
		return Decision{
			Allowed:    true,
			Address:    inst.EndpointIP,
			Rule:       "R10",
			DailyLimit: Unlimited,
			Reason: fmt.Sprintf("The group %q is on the dedicated instance %s, bound to the VPC %s that your on-premises network is joined to: %s resolves to the instance's private endpoint %s, routed over CEN or the VPN. Calls through it are unlimited.",
				g.Name, inst.ID, inst.VpcID, domain, inst.EndpointIP),
		}
	default:
		return Decision{
			Allowed:    true,
			Address:    inst.EndpointIP,
			Rule:       "R4",
			DailyLimit: Unlimited,
			Reason: fmt.Sprintf("The group %q is on the dedicated instance %s, bound to the VPC %s: %s resolves to the instance's VPC endpoint %s. Calls through it are unlimited.",
				g.Name, inst.ID, inst.VpcID, domain, inst.EndpointIP),
		}
	}
}

// decideCustom follows the second-level domain the custom domain is a
// CNAME of, then asks for a certificate for HTTPS.
func decideCustom(c Caller, t Target, proto string, limits Limits) Decision {
	g, d := *t.Group, *t.Custom
	var via Decision
	switch d.NetworkType {
	case NetworkInternet:
		via = decidePublic(g, limits)
	case NetworkIntranet:
		if t.Instance != nil && !t.Instance.Dedicated() {
			return refuse("R9", "The custom domain %s is of network type INTRANET, but the group %q is on the shared instance %s, and shared instances do not serve custom domains on the VPC second-level domain.",
				d.Name, g.Name, t.Instance.ID)
		}
		via = decideVpc(c, g, t.Instance)
	default:
		return refuse("R9", "The custom domain %s has no network type, so it points nowhere.", d.Name)
	}
	via.Reason = fmt.Sprintf("The custom domain %s is of network type %s, a CNAME of %s. %s",
		d.Name, d.NetworkType, CNAMETarget(g, d.NetworkType), via.Reason)
	if via.Allowed && proto == "HTTPS" && d.CertPEM == "" {
		via.Allowed, via.DailyLimit, via.Rule = false, "", "R9"
		via.Reason += fmt.Sprintf(" But %s has no certificate, so it cannot serve HTTPS: upload a certificate and its key on the Group Details page, or call over HTTP.", d.Name)
	}
	return via
}
