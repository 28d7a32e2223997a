package openapi

import (
	"gatehouse/rules"
)

// The access check (R11), an action of Gatehouse's own in API Gateway's
// style: Alibaba Cloud has none.

type describeVpcAccessDecisionResponse struct {
	requestID
	DomainName string `json:"DomainName" xml:"DomainName"`
	CallerType string `json:"CallerType" xml:"CallerType"`
	Protocol   string `json:"Protocol" xml:"Protocol"`
	Allowed    bool   `json:"Allowed" xml:"Allowed"`
	Address    string `json:"Address" xml:"Address"`
	Reason     string `json:"Reason" xml:"Reason"`
	Rule       string `json:"Rule" xml:"Rule"`
	DailyLimit string `json:"DailyLimit" xml:"DailyLimit"`
	Recommend  string `json:"Recommend" xml:"Recommend"`
}

// describeVpcAccessDecision answers whether a caller reaches DomainName over
// Protocol (HTTP, the default, or HTTPS), at which address and why:
// CallerType is vpc (CallerVpcId is the caller's VPC), hybrid (an
// on-premises network joined to CallerVpcId by CEN or a VPN) or internet.
// CallerVpcId must be a VPC of the account.
func describeVpcAccessDecision(c *call) (response, error) {
	rawKind, err := c.ps.required("CallerType")
	if err != nil {
		return nil, err
	}
	kind, ok := rules.ParseCallerKind(rawKind)
	if !ok {
		return nil, invalidParameter("CallerType", "%s is not one of vpc, hybrid and internet.", quote(rawKind))
	}
	name, err := c.ps.required("DomainName")
	if err != nil {
		return nil, err
	}
	proto := rules.ProtocolHTTP
	if raw := c.ps.str("Protocol"); raw != "" {
		if proto, ok = rules.ParseProtocol(raw); !ok {
			return nil, invalidParameter("Protocol", "%s is not one of HTTP and HTTPS.", quote(raw))
		}
	}
	caller := rules.Caller{Kind: kind, AccountID: c.account()}
	if kind != rules.CallerInternet {
		vpcID, err := c.ps.required("CallerVpcId")
		if err != nil {
			return nil, err
		}
		v, err := c.s.st.GetVpc(c.ctx, c.account(), vpcID)
		if err != nil {
			return nil, err
		}
		caller.Vpc = &v.VPC
	}
	target, err := c.s.st.ResolveTarget(c.ctx, name)
	if err != nil {
		return nil, err
	}
	d := rules.Decide(caller, target, string(proto), c.s.opts.Limits)
	return &describeVpcAccessDecisionResponse{DomainName: target.Name, CallerType: string(kind), Protocol: string(proto),
		Allowed: d.Allowed, Address: d.Address, Reason: d.Reason, Rule: d.Rule, DailyLimit: d.DailyLimit, Recommend: d.Recommend}, nil
}
