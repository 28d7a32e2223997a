package rules

import (
	"fmt"
	"strings"
)

// The access decision (R11): who reaches which name, at which address, by
// which rule. One function decides it for all of Gatehouse: Reach. The
// access check (Decide), Group Details and its reachability panel,
// DescribeApiGroup(s), the dialogs and the gateway, on every call it
// serves, all ask Reach; nothing else derives where a name resolves or who
// reaches it.
//
// Reach answers by this table, top to bottom; the first row that matches
// decides. "vpc" callers are in a VPC; "hybrid" callers are an on-premises
// network joined to a VPC by CEN or an IPsec VPN; the VPC of either is
// Caller.Vpc. "none" is no caller in particular (CallerNone): Reach then
// tells only who the name serves and where it resolves for them, by the
// rule of the name's row.
//
//	name                   caller          instance                          outcome                                          rule
//	any                    vpc/hybrid/     protocol not HTTP or HTTPS        refused, no address                              R11
//	                       internet
//	any                    vpc/hybrid      without Caller.Vpc                refused, no address                              R11
//	any                    not a kind      -                                 refused, no address                              R11
//	unknown                any             -                                 refused, no address                              R11
//	public                 any             any                               allowed, public address, R2's daily limit        R2
//	custom, no type        any             any                               refused, no address                              R9
//	custom INTRANET        any             shared                            refused, no address (not supported)              R9
//	VPC, not enabled       the owner's     any                               refused, no address: the name does not exist     R2
//	VPC, not enabled       a stranger's    any                               refused, no address: as an unknown name          R11
//	VPC                    any             not known                         refused, no address                              R11
//	VPC                    vpc/hybrid      dedicated, not bound              refused, no address                              R5
//	VPC                    internet        any                               refused, no address                              R11
//	VPC                    vpc/hybrid      shared, VPC in another region     refused, no address                              R3
//	VPC                    vpc             shared, VPC in its region         allowed, 100.64.0.0/10 address, unlimited        R3
//	VPC                    hybrid          shared, VPC in its region         refused, 100.x address not routable; recommend   R10
//	                                                                         a dedicated instance
//	VPC                    vpc/hybrid      dedicated, bound to another VPC   refused, no address                              R4
//	VPC                    vpc             dedicated, bound to caller's VPC  allowed, endpoint address, unlimited             R4
//	VPC                    hybrid          dedicated, bound to joined VPC    allowed, endpoint address, unlimited             R10
//	custom INTERNET        as public; then HTTPS without a certificate on the domain: refused, address kept                  R9
//	custom INTRANET        as VPC;    then HTTPS without a certificate on the domain: refused, address kept                  R9
//
// A shared instance serves every account's VPCs of its region (R3), so a
// caller may well reach another account's group. The answer is the
// network's all the same; only its words differ: a reason about a group of
// another account than the caller's ("a stranger's") names nothing of that
// account (no group name, no owner, no dedicated instance, no bound VPC).

// CallerKind is where a call comes from.
type CallerKind string

const (
	CallerVpc      CallerKind = "vpc"      // an instance in a VPC
	CallerHybrid   CallerKind = "hybrid"   // an on-premises network joined to a VPC by CEN or an IPsec VPN
	CallerInternet CallerKind = "internet" // anywhere on the Internet
	// CallerNone is no caller in particular: Reach then answers only who
	// the name serves and where it resolves for them.
	CallerNone CallerKind = "none"
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
// its on-premises network is joined to; nil for the Internet and for
// CallerNone.
type Caller struct {
	Kind CallerKind
	Vpc  *VPC
	// AccountID is the account asking: it decides how much a reason may
	// say about the group behind the name. Empty, it is the VPC's account
	// for a VPC or hybrid caller, and nobody's (a stranger to every
	// account) for the Internet.
	AccountID string
}

// account is the account the caller speaks for, "" for a stranger.
func (c Caller) account() string {
	if c.AccountID == "" && c.Vpc != nil {
		return c.Vpc.AccountID
	}
	return c.AccountID
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
	if regionIndex(regionID) < 0 {
		return DomainUnknown, "", "", false
	}
	return kind, groupID, regionID, true
}

// Target is the name asked about and the facts known of it, of whichever
// account: the store resolves a name into one, and the gateway keeps them
// in its snapshot. Group is nil when the name matches no group; Instance
// is the group's instance; Custom is set for a custom domain. Name is used
// only to word a reason.
type Target struct {
	Name     string
	Kind     DomainKind
	Group    *Group
	Instance *Instance
	Custom   *CustomDomain
}

// Protocol is how a call is made.
type Protocol string

const (
	ProtocolHTTP  Protocol = "HTTP"
	ProtocolHTTPS Protocol = "HTTPS"
)

// ParseProtocol reads "http" or "https" in any case.
func ParseProtocol(s string) (Protocol, bool) {
	switch p := Protocol(strings.ToUpper(strings.TrimSpace(s))); p {
	case ProtocolHTTP, ProtocolHTTPS:
		return p, true
	}
	return "", false
}

// Audience is who a name serves, whoever asks.
type Audience uint8

const (
	AudienceNobody     Audience = iota // no caller: the name does not resolve anywhere
	AudienceAnyone                     // every network, the Internet included (R2)
	AudienceRegionVpcs                 // every VPC of the shared instance's region, of any account (R3)
	AudienceBoundVpc                   // only the VPC bound to the dedicated instance (R4)
)

// Verdict is Reach's answer. Its fields are what a caller acts on; the
// words come from its methods, built only when asked for, so that the
// gateway pays for them on refusals alone.
type Verdict struct {
	// Who the name serves and where it resolves for them, whoever asks.
	Audience Audience
	Address  string // "" when the name serves nobody
	// The answer to this caller.
	Resolves   bool   // the name resolves for the caller, to Address
	Allowed    bool   // the caller's call over the protocol is served
	Rule       string // the rule of SPEC.md §2 that decides: "R3", "R4", ...
	DailyLimit int    // when allowed through a public name, R2's calls a day for the group, counted; 0 when calls are not counted

	why    why
	noCert bool // allowed but for the custom domain's missing certificate (R9)
	caller Caller
	target Target
	proto  Protocol
	limits Limits
}

// why is the reason of a verdict, worded by Verdict.Reason.
type why uint8

const (
	whyProtocol       why = iota + 1 // the protocol is neither HTTP nor HTTPS
	whyCallerKind                    // the caller kind does not exist
	whyNoVpc                         // a VPC or hybrid caller without its VPC
	whyUnknownName                   // the name matches no group
	whyNoNetworkType                 // a custom domain without network type
	whyIntranetShared                // an INTRANET custom domain on a shared instance
	whyVpcOff                        // the VPC domain is not enabled
	whyNoInstance                    // the group's instance is not known
	whyPublic                        // a public name, served to anyone
	whyInternetVpc                   // the Internet asks for a VPC name
	whyShared                        // a shared instance serves the caller's region
	whyOtherRegion                   // a shared instance of another region
	whySharedHybrid                  // a shared instance's 100.x address, unroutable on premises
	whyUnbound                       // a dedicated instance bound to no VPC
	whyBound                         // a dedicated instance bound to the caller's VPC
	whyBoundHybrid                   // a dedicated instance bound to the VPC the network is joined to
	whyOtherVpc                      // a dedicated instance bound to another VPC
)

var whyRule = [...]string{
	whyProtocol: "R11", whyCallerKind: "R11", whyNoVpc: "R11", whyUnknownName: "R11",
	whyNoNetworkType: "R9", whyIntranetShared: "R9", whyVpcOff: "R2", whyNoInstance: "R11",
	whyPublic: "R2", whyInternetVpc: "R11", whyShared: "R3", whyOtherRegion: "R3",
	whySharedHybrid: "R10", whyUnbound: "R5", whyBound: "R4", whyBoundHybrid: "R10", whyOtherVpc: "R4",
}

// Reach answers, by the table at the top of this file, who the name t
// serves and where it resolves, and whether caller c reaches it over proto
// and by which rule. It reads nothing but its arguments, so a snapshot in
// memory can supply them, and it is cheap enough for every proxied call:
// at most one small allocation (the 100.x address of a shared instance),
// no words until Reason is asked for. limits gives R2's daily limit of
// public names. For CallerNone, proto is not looked at.
func Reach(c Caller, t Target, proto Protocol, limits Limits) Verdict {
	v := Verdict{caller: c, target: t, proto: proto, limits: limits}
	if c.Kind != CallerNone {
		switch {
		case proto != ProtocolHTTP && proto != ProtocolHTTPS:
			return v.refuse(whyProtocol)
		case c.Kind != CallerVpc && c.Kind != CallerHybrid && c.Kind != CallerInternet:
			return v.refuse(whyCallerKind)
		case c.Kind != CallerInternet && c.Vpc == nil:
			return v.refuse(whyNoVpc)
		}
	}
	v.audience()
	if c.Kind == CallerNone {
		return v
	}
	g, inst := t.Group, t.Instance
	switch v.Audience {
	case AudienceNobody:
		if v.why == whyUnbound && c.Kind == CallerInternet {
			return v.refuse(whyInternetVpc)
		}
		return v
	case AudienceAnyone:
		v.Resolves, v.Allowed = true, true
		if t.Kind == DomainPublic { // R2 counts the public second-level domain only, never a custom domain
			v.DailyLimit = limits.PublicDaily(g.RegionID)
		}
	case AudienceRegionVpcs:
		switch {
		case c.Kind == CallerInternet:
			return v.refuse(whyInternetVpc)
		case c.Vpc.RegionID != inst.RegionID:
			return v.refuse(whyOtherRegion)
		case c.Kind == CallerHybrid:
			v.Resolves, v.why = true, whySharedHybrid // resolves, but to an address the network cannot route
		default:
			v.Resolves, v.Allowed = true, true
		}
	case AudienceBoundVpc:
		switch {
		case c.Kind == CallerInternet:
			return v.refuse(whyInternetVpc)
		case c.Vpc.ID != inst.VpcID:
			return v.refuse(whyOtherVpc)
		case c.Kind == CallerHybrid:
			v.Resolves, v.Allowed, v.why = true, true, whyBoundHybrid
		default:
			v.Resolves, v.Allowed = true, true
		}
	}
	if v.Allowed && t.Kind == DomainCustom && proto == ProtocolHTTPS && t.Custom.CertPEM == "" {
		v.Allowed, v.DailyLimit, v.noCert = false, 0, true
	}
	v.Rule = whyRule[v.why]
	if v.noCert {
		v.Rule = "R9"
	}
	return v
}

// audience decides who the name serves and where it resolves for them.
func (v *Verdict) audience() {
	t := v.target
	g, inst := t.Group, t.Instance
	v.why = whyUnknownName
	viaVpc := t.Kind == DomainVpc
	switch {
	case g == nil:
	case t.Kind == DomainPublic:
		v.why = whyPublic
	case t.Kind == DomainVpc:
	case t.Kind != DomainCustom || t.Custom == nil || t.Custom.GroupID != g.ID:
		g = nil // the custom domain is not the group's
	case t.Custom.NetworkType == NetworkInternet:
		v.why = whyPublic
	case t.Custom.NetworkType != NetworkIntranet:
		v.why = whyNoNetworkType
	case inst != nil && !inst.Dedicated():
		v.why = whyIntranetShared
	default:
		viaVpc = true
	}
	switch {
	case g == nil:
	case v.why == whyPublic:
		v.Audience, v.Address = AudienceAnyone, PublicAddress(g.RegionID)
	case !viaVpc:
	case !g.VpcDomainEnabled && !v.own():
		v.why = whyUnknownName // to a stranger, as absent as the DNS shows it
	case !g.VpcDomainEnabled:
		v.why = whyVpcOff
	case inst == nil:
		v.why = whyNoInstance
	case !inst.Dedicated():
		v.Audience, v.Address, v.why = AudienceRegionVpcs, SharedVpcAddress(g.ID), whyShared
	case !inst.Bound():
		v.why = whyUnbound
	default:
		v.Audience, v.Address, v.why = AudienceBoundVpc, inst.EndpointIP, whyBound
	}
	v.Rule = whyRule[v.why]
}

func (v Verdict) refuse(w why) Verdict {
	v.Resolves, v.Allowed, v.DailyLimit, v.why, v.Rule = false, false, 0, w, whyRule[w]
	return v
}

// own reports whether the caller speaks for the account of the group
// behind the name: only then may the words name the group and its
// instance.
func (v Verdict) own() bool {
	g := v.target.Group
	return g != nil && g.AccountID != "" && v.caller.account() == g.AccountID
}

// ResolvedAddress is what the name resolves to for the caller: Address
// when it resolves, "" otherwise.
func (v Verdict) ResolvedAddress() string {
	if v.Resolves {
		return v.Address
	}
	return ""
}

// Reason says why, in full sentences for an operator.
func (v Verdict) Reason() string {
	t, c := v.target, v.caller
	var g Group
	var inst Instance
	if t.Group != nil {
		g = *t.Group
	}
	if t.Instance != nil {
		inst = *t.Instance
	}
	own := v.own()
	name := NormalizeDomain(t.Name)
	vpcDomain := g.VpcDomain()
	// on says what serves the group: "The group "orders" is on the shared
	// instance api-shared-vpc-001", or, to a stranger, "api...com is served
	// by the shared instance api-shared-vpc-001" (the platform's) or "by a
	// dedicated instance of another account".
	on := func() string {
		kind := "shared"
		if inst.Dedicated() {
			kind = "dedicated"
		}
		switch {
		case own:
			return fmt.Sprintf("The group %q is on the %s instance %s", g.Name, kind, inst.ID)
		case inst.Dedicated():
			return fmt.Sprintf("%s is served by a dedicated instance of another account", name)
		default:
			return fmt.Sprintf("%s is served by the shared instance %s", name, inst.ID)
		}
	}
	var s string
	switch v.why {
	case whyProtocol:
		return fmt.Sprintf("The protocol %q is not one API Gateway serves. Call over HTTP or HTTPS.", string(v.proto))
	case whyCallerKind:
		return fmt.Sprintf("The caller kind %q does not exist. Choose a VPC, a hybrid network joined to a VPC, or the Internet.", string(c.Kind))
	case whyNoVpc:
		return "Choose the VPC the call comes from."
	case whyUnknownName:
		return fmt.Sprintf("The name %s does not resolve: it is neither a second-level domain nor a custom domain of any API group.", quoteList([]string{name}, 1))
	case whyNoNetworkType:
		return fmt.Sprintf("The custom domain %s has no network type, so it points nowhere.", t.Custom.Name)
	case whyIntranetShared:
		if own {
			return fmt.Sprintf("The custom domain %s is of network type INTRANET, but the group %q is on the shared instance %s, and shared instances do not serve custom domains on the VPC second-level domain.",
				t.Custom.Name, g.Name, inst.ID)
		}
		return fmt.Sprintf("The custom domain %s is of network type INTRANET, but its API group is on the shared instance %s, and shared instances do not serve custom domains on the VPC second-level domain.",
			t.Custom.Name, inst.ID)
	case whyVpcOff:
		s = fmt.Sprintf("The VPC second-level domain of the group %q is not enabled, so %s does not exist yet. Enable it on the Group Details page.", g.Name, vpcDomain)
	case whyNoInstance:
		if own {
			s = fmt.Sprintf("The instance of the group %q is not known, so %s does not resolve.", g.Name, vpcDomain)
		} else {
			s = fmt.Sprintf("The instance behind %s is not known, so it does not resolve.", vpcDomain)
		}
	case whyPublic:
		of := ""
		if own {
			of = fmt.Sprintf(" of the group %q", g.Name)
		}
		s = fmt.Sprintf("The public second-level domain %s%s resolves to API Gateway's Internet address in %s and serves callers anywhere, limited to %s.",
			g.PublicDomain(), of, RegionName(g.RegionID), FormatDailyLimit(v.limits.PublicDaily(g.RegionID)))
		if t.Kind == DomainCustom && t.Custom != nil {
			s += fmt.Sprintf(" Calls through %s itself are unlimited: only the public second-level domain is counted.", t.Custom.Name)
		}
	case whyInternetVpc:
		s = fmt.Sprintf("The Internet never resolves a VPC second-level domain: %s answers only inside VPCs. Call from a VPC, or call the public second-level domain %s.", vpcDomain, g.PublicDomain())
	case whyShared:
		if own {
			s = fmt.Sprintf("%s, which every VPC in %s reaches: %s resolves to %s.", on(), RegionName(inst.RegionID), vpcDomain, v.Address)
		} else {
			s = fmt.Sprintf("%s, which every VPC in %s reaches, of any account: it resolves to %s.", on(), RegionName(inst.RegionID), v.Address)
		}
		if c.Kind != CallerNone {
			s += " Calls through it are unlimited."
		}
	case whyOtherRegion:
		s = fmt.Sprintf("%s in %s, which only VPCs of that region reach; the VPC %s is in %s.",
			on(), RegionName(inst.RegionID), c.Vpc.ID, RegionName(c.Vpc.RegionID))
	case whySharedHybrid:
		s = fmt.Sprintf("%s, so %s resolves to %s, a 100.x.x.x address that an on-premises network joined to the VPC %s cannot route.",
			on(), vpcDomain, v.Address, c.Vpc.ID)
	case whyUnbound:
		s = on() + ", which is not bound to a VPC, so no VPC reaches it."
		if own {
			s += " Bind the instance to a VPC on the Dedicated Instances page."
		}
	case whyOtherVpc:
		bound := ""
		if own {
			bound = " (" + inst.VpcID + ")"
		}
		s = fmt.Sprintf("%s, which only the VPC bound to it%s reaches; the VPC %s is not that VPC.", on(), bound, c.Vpc.ID)
	case whyBound:
		s = fmt.Sprintf("%s, bound to the VPC %s: %s resolves to the instance's VPC endpoint %s.", on(), v.boundVpc(), vpcDomain, v.Address)
		if c.Kind != CallerNone {
			s += " Calls through it are unlimited."
		}
	case whyBoundHybrid:
		s = fmt.Sprintf("%s, bound to the VPC %s that your on-premises network is joined to: %s resolves to the instance's private endpoint %s, routed over CEN or the VPN. Calls through it are unlimited.",
			on(), v.boundVpc(), vpcDomain, v.Address)
	}
	if t.Kind == DomainCustom && t.Custom != nil {
		s = fmt.Sprintf("The custom domain %s is of network type %s, a CNAME of %s. %s", t.Custom.Name, t.Custom.NetworkType, CNAMETarget(g, t.Custom.NetworkType), s)
		if v.noCert {
			s += fmt.Sprintf(" But %s has no certificate, so it cannot serve HTTPS: ", t.Custom.Name)
			if own {
				s += "upload a certificate and its key on the Group Details page, or call over HTTP."
			} else {
				s += "call over HTTP."
			}
		}
	}
	return s
}

// boundVpc names the VPC bound to the dedicated instance: its id to the
// owner, "you are in" to a stranger, who is only ever told of it when in it.
func (v Verdict) boundVpc() string {
	if v.own() {
		return v.target.Instance.VpcID
	}
	return v.caller.Vpc.ID
}

// Recommend is advice for the caller, when there is some: R10's dedicated
// instance for a hybrid network on a shared instance.
func (v Verdict) Recommend() string {
	if v.why != whySharedHybrid {
		return ""
	}
	region := RegionName(v.target.Instance.RegionID)
	if v.own() {
		return fmt.Sprintf("Use a dedicated instance: create one in %s, bind it to the VPC %s and move the group %q to it. Its VPC second-level domain then resolves to a private endpoint address in your vSwitch, which your network can route.",
			region, v.caller.Vpc.ID, v.target.Group.Name)
	}
	return fmt.Sprintf("Call from inside a VPC of %s, or ask the owner of the API group to serve it from a dedicated instance bound to a VPC your network can route.", region)
}

// Who says who the name serves, for a sentence such as "reachable from
// every VPC in China (Hangzhou), of any account".
func (v Verdict) Who() string {
	switch v.Audience {
	case AudienceAnyone:
		return "from anywhere, the Internet included"
	case AudienceRegionVpcs:
		return "from every VPC in " + RegionName(v.target.Instance.RegionID) + ", of any account"
	case AudienceBoundVpc:
		if v.own() {
			return "only from the VPC " + v.target.Instance.VpcID + " bound to the dedicated instance"
		}
		return "only from the VPC bound to the dedicated instance"
	}
	switch v.why {
	case whyUnbound:
		return "from no VPC: the dedicated instance is not bound to a VPC"
	case whyVpcOff:
		return "from no VPC: the VPC second-level domain is not enabled"
	case whyIntranetShared:
		return "from nowhere: shared instances do not serve INTRANET custom domains"
	}
	return "from nowhere"
}

// Decision is the answer of the access check, in words.
type Decision struct {
	Allowed    bool
	Address    string // what the name resolves to for this caller; "" when it does not resolve
	Reason     string // plain words, full sentences
	Rule       string // the rule of SPEC.md §2 that decides: "R3", "R4", ...
	DailyLimit string // "1,000 calls a day" or "unlimited" when allowed; "" when refused
	Recommend  string // advice, such as R10's dedicated instance for hybrid callers on a shared instance
}

// Decide is the access check (R11): Reach's verdict for caller c, target t
// and protocol (HTTP or HTTPS in any case), in words.
func Decide(c Caller, t Target, protocol string, limits Limits) Decision {
	proto, ok := ParseProtocol(protocol)
	if !ok {
		proto = Protocol(protocol)
	}
	if c.Kind == CallerNone {
		c.Kind = "" // the access check always asks for a caller
	}
	v := Reach(c, t, proto, limits)
	d := Decision{Allowed: v.Allowed, Address: v.ResolvedAddress(), Reason: v.Reason(), Rule: v.Rule, Recommend: v.Recommend()}
	switch {
	case !v.Allowed:
	case v.DailyLimit > 0:
		d.DailyLimit = FormatDailyLimit(v.DailyLimit)
	default:
		d.DailyLimit = Unlimited
	}
	return d
}
