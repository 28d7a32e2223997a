package openapi

import (
	"context"

	"gatehouse/rules"
	"gatehouse/store"
)

// HTTPS certificates of custom domains (R9): SetDomainCertificate and
// DeleteDomainCertificate. The checks are R9's, the console's: a pair that
// matches, covers the name and is valid now (rules.ParseCertificate), the
// key sealed in the store like the console's uploads. The gateway serves a
// new or removed certificate from the next handshake on.

// certificateStore is what the certificates' actions ask of the store.
type certificateStore interface {
	SetDomainCertificate(ctx context.Context, a store.Actor, groupID string, in rules.DomainInput) (store.BoundDomain, error)
	DeleteDomainCertificate(ctx context.Context, a store.Actor, groupID, name, certID string) (bool, error)
}

type setDomainCertificateResponse struct {
	requestID
	CertificateId string `json:"CertificateId" xml:"CertificateId"`
}

// setDomainCertificate uploads CertificateBody and CertificatePrivateKey
// (PEM) as the certificate of DomainName, a custom domain GroupId already
// has (SetDomain), under CertificateName. It answers the certificate's id,
// which DescribeDomain shows and DeleteDomainCertificate takes.
// CaCertificateBody and SslVerifyDepth (client certificates) are accepted
// and ignored.
func setDomainCertificate(c *call) (response, error) {
	groupID, name, err := c.groupDomain()
	if err != nil {
		return nil, err
	}
	d, err := c.s.st.SetDomainCertificate(c.ctx, c.actor, groupID, rules.DomainInput{
		Name:     name,
		CertName: c.ps.str("CertificateName"),
		CertPEM:  c.ps.str("CertificateBody"),
		KeyPEM:   c.ps.str("CertificatePrivateKey"),
	})
	if err != nil {
		return nil, err
	}
	return &setDomainCertificateResponse{CertificateId: rules.CertificateID(d.CertPEM)}, nil
}

// deleteDomainCertificate removes the certificate CertificateId from
// DomainName of GroupId; as on Alibaba Cloud, a certificate the domain
// does not have is not an error (the group must be the account's).
func deleteDomainCertificate(c *call) (response, error) {
	groupID, name, err := c.groupDomain()
	if err != nil {
		return nil, err
	}
	certID, err := c.ps.required("CertificateId")
	if err != nil {
		return nil, err
	}
	if _, err := c.s.st.DeleteDomainCertificate(c.ctx, c.actor, groupID, name, certID); err != nil {
		return nil, err
	}
	return &empty{}, nil
}
