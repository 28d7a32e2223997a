package openapi

import (
	"strings"

	"gatehouse/rules"
)

// Custom domains (R9): SetDomain, DescribeDomain, DeleteDomain.

type setDomainResponse struct {
	requestID
	GroupId               string `json:"GroupId" xml:"GroupId"`
	DomainName            string `json:"DomainName" xml:"DomainName"`
	SubDomain             string `json:"SubDomain" xml:"SubDomain"`
	DomainBindingStatus   string `json:"DomainBindingStatus" xml:"DomainBindingStatus"`
	DomainLegalStatus     string `json:"DomainLegalStatus" xml:"DomainLegalStatus"`
	DomainWebSocketStatus string `json:"DomainWebSocketStatus" xml:"DomainWebSocketStatus"`
	DomainRemark          string `json:"DomainRemark" xml:"DomainRemark"`
}

// setDomain binds DomainName to GroupId with CustomDomainType INTERNET (the
// default) or INTRANET; IsForce=true moves a name bound to another group of
// the account. SubDomain answers the CNAME target. BindStageName and
// IsHttpRedirectToHttps are accepted and ignored.
func setDomain(c *call) (response, error) {
	groupID, name, err := c.groupDomain()
	if err != nil {
		return nil, err
	}
	force, err := c.ps.boolean("IsForce", false)
	if err != nil {
		return nil, err
	}
	nt := rules.NetworkInternet
	if v := c.ps.str("CustomDomainType"); v != "" {
		nt = rules.NetworkType(strings.ToUpper(strings.TrimSpace(v))) // the validator names a bad one
	}
	// The answer comes from what the transaction wrote: reading the group
	// again after the commit could find it deleted meanwhile and turn a
	// committed change into a 404.
	d, err := c.s.st.BindDomain(c.ctx, c.actor, groupID, rules.DomainInput{Name: name, NetworkType: nt, Force: force})
	if err != nil {
		return nil, err
	}
	return &setDomainResponse{GroupId: d.Group.ID, DomainName: d.Name, SubDomain: d.CNAMETarget(),
		DomainBindingStatus: domainBinding, DomainLegalStatus: statusNormal, DomainWebSocketStatus: domainWSClosed}, nil
}

type describeDomainResponse struct {
	requestID
	GroupId               string `json:"GroupId" xml:"GroupId"`
	DomainName            string `json:"DomainName" xml:"DomainName"`
	SubDomain             string `json:"SubDomain" xml:"SubDomain"`
	DomainBindingStatus   string `json:"DomainBindingStatus" xml:"DomainBindingStatus"`
	DomainLegalStatus     string `json:"DomainLegalStatus" xml:"DomainLegalStatus"`
	DomainCNAMEStatus     string `json:"DomainCNAMEStatus" xml:"DomainCNAMEStatus"`
	DomainWebSocketStatus string `json:"DomainWebSocketStatus" xml:"DomainWebSocketStatus"`
	DomainRemark          string `json:"DomainRemark" xml:"DomainRemark"`
	CertificateId         string `json:"CertificateId" xml:"CertificateId"`
	CertificateName       string `json:"CertificateName" xml:"CertificateName"`
	CertificateBody       string `json:"CertificateBody" xml:"CertificateBody"`
	CertificateValidEnd   int64  `json:"CertificateValidEnd" xml:"CertificateValidEnd"`
}

// describeDomain shows a custom domain of a group: its CNAME target
// (SubDomain; DomainRemark names the network type) and certificate. The
// private key is never answered.
func describeDomain(c *call) (response, error) {
	groupID, name, err := c.groupDomain()
	if err != nil {
		return nil, err
	}
	g, err := c.s.st.GetGroup(c.ctx, c.account(), groupID)
	if err != nil {
		return nil, err
	}
	d, err := c.s.st.GetDomain(c.ctx, c.account(), name)
	if err != nil {
		return nil, err
	}
	if d.GroupID != g.ID {
		return nil, rules.DomainNotFound(d.Name)
	}
	return &describeDomainResponse{
		GroupId:               g.ID,
		DomainName:            d.Name,
		SubDomain:             rules.CNAMETarget(g, d.NetworkType),
		DomainBindingStatus:   domainBinding,
		DomainLegalStatus:     statusNormal,
		DomainCNAMEStatus:     domainResolved,
		DomainWebSocketStatus: domainWSClosed,
		DomainRemark:          string(d.NetworkType),
		CertificateId:         rules.CertificateID(d.CertPEM),
		CertificateName:       d.CertName,
		CertificateBody:       d.CertPEM,
		CertificateValidEnd:   unixMilli(d.CertExpires),
	}, nil
}

// deleteDomain unbinds DomainName from GroupId; a name the group does not
// have is not an error (the group must be the account's).
func deleteDomain(c *call) (response, error) {
	groupID, name, err := c.groupDomain()
	if err != nil {
		return nil, err
	}
	if _, err := c.s.st.UnbindDomain(c.ctx, c.actor, groupID, name); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// groupDomain reads the GroupId and DomainName every action on a custom
// domain takes (a missing one is refused, GroupId first).
func (c *call) groupDomain() (groupID, name string, err error) {
	if groupID, err = c.ps.required("GroupId"); err != nil {
		return "", "", err
	}
	if name, err = c.ps.required("DomainName"); err != nil {
		return "", "", err
	}
	return groupID, name, nil
}
