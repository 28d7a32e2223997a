package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gatehouse/rules"
)

// groupDomains reads a group's custom domains by network type, then name.
func groupDomains(ctx context.Context, q querier, groupID string) ([]rules.CustomDomain, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+domainCols+` FROM custom_domains d WHERE d.group_id = CAST(? AS TEXT)
		ORDER BY d.network_type, d.name`, groupID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rules.CustomDomain
	for rows.Next() {
		var d rules.CustomDomain
		if err := rows.Scan(domainDest(&d)...); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// domainByName reads the custom domain of that name in any account, with
// its sealed private key; ok is false when no group has it.
func domainByName(ctx context.Context, q querier, name string) (d rules.CustomDomain, keySealed []byte, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT `+domainCols+`, d.key_sealed FROM custom_domains d WHERE d.name = ?`, name).
		Scan(append(domainDest(&d), &keySealed)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.CustomDomain{}, nil, false, nil
	}
	if err != nil {
		return rules.CustomDomain{}, nil, false, err
	}
	return d, keySealed, true, nil
}

// domainKeyAAD binds a sealed private key to its domain name.
func domainKeyAAD(name string) string { return "domain-key:" + name }

// BindDomain binds a custom domain to a group of the actor's account, or
// updates it when the group already has it (R9, rules.CheckBindDomain on
// the group, its instance, its domains and the name's current binding, all
// read inside the transaction). With in.Force a name bound to another group
// of the same account moves; a name of another account is refused
// (DomainAlreadyBound) without naming that account's group. The name is
// normalised (rules.NormalizeDomain). A certificate, when given, must pass
// rules.ParseCertificate; its private key is stored sealed like access key
// secrets. Without a new certificate, a name that is already bound keeps
// the one it has.
func (s *Store) BindDomain(ctx context.Context, a Actor, groupID string, in rules.DomainInput) (BoundDomain, error) {
	var d BoundDomain
	err := s.write(ctx, func(tx *sql.Tx) error {
		var detail string
		var err error
		if d, detail, err = s.bindDomain(ctx, tx, a, groupID, in); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionBindDomain, d.Name, detail)
	})
	if err != nil {
		return BoundDomain{}, fmt.Errorf("store: bind domain %q to group %s: %w", in.Name, groupID, err)
	}
	return d, nil
}

// BoundDomain is a custom domain as BindDomain committed it, with its
// group as the same transaction read it: what an answer or a message
// about the binding names, never read again after the commit (a change
// committed meanwhile would make it say something else, or not found).
type BoundDomain struct {
	rules.CustomDomain
	Group rules.Group
}

// CNAMETarget is the name the domain's CNAME record points at.
func (d BoundDomain) CNAMETarget() string { return rules.CNAMETarget(d.Group, d.NetworkType) }

// bindDomain writes the binding of BindDomain inside tx, and says what it
// did for the operation log's detail; the caller writes the log row.
func (s *Store) bindDomain(ctx context.Context, tx *sql.Tx, a Actor, groupID string, in rules.DomainInput) (BoundDomain, string, error) {
	in = in.Normalize()
	if err := inputError(in.Validate()); err != nil {
		return BoundDomain{}, "", err
	}
	now := s.now().UTC()
	d := rules.CustomDomain{Name: in.Name, AccountID: a.AccountID, GroupID: groupID, NetworkType: in.NetworkType, CreatedAt: now}
	var keySealed []byte
	hasCert := strings.TrimSpace(in.CertPEM) != ""
	if hasCert {
		info, err := rules.ParseCertificate(in.CertPEM, in.KeyPEM, in.Name, now)
		if err != nil {
			return BoundDomain{}, "", asInputError(err)
		}
		if keySealed, err = s.seal([]byte(in.KeyPEM), domainKeyAAD(in.Name)); err != nil {
			return BoundDomain{}, "", err
		}
		d.CertName, d.CertPEM, d.CertExpires = in.CertName, in.CertPEM, info.NotAfter.UTC()
	}

	g, err := getGroupDetail(ctx, tx, a.AccountID, groupID)
	if err != nil {
		return BoundDomain{}, "", err
	}
	domains, err := groupDomains(ctx, tx, groupID)
	if err != nil {
		return BoundDomain{}, "", err
	}
	existing, existingKey, found, err := domainByName(ctx, tx, in.Name)
	if err != nil {
		return BoundDomain{}, "", err
	}
	var current *rules.CustomDomain
	if found {
		current = &existing
	}
	if err := rules.CheckBindDomain(in, g.Group, g.Instance, domains, current); err != nil {
		return BoundDomain{}, "", err
	}
	if found && existing.AccountID != a.AccountID {
		// rules refuse this; never overwrite another account's binding.
		return BoundDomain{}, "", fmt.Errorf("domain %q belongs to another account", in.Name)
	}

	detail := fmt.Sprintf("%s on group %s", in.NetworkType, groupID)
	if found {
		if !hasCert {
			d.CertName, d.CertPEM, d.CertExpires, keySealed = existing.CertName, existing.CertPEM, existing.CertExpires, existingKey
		}
		if existing.GroupID == groupID {
			d.CreatedAt = existing.CreatedAt
			detail += " (updated)"
		} else {
			detail += " (moved from group " + existing.GroupID + ")"
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO custom_domains
		(name, account_id, group_id, network_type, cert_name, cert_pem, key_sealed, cert_expires, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET group_id = excluded.group_id, network_type = excluded.network_type,
			cert_name = excluded.cert_name, cert_pem = excluded.cert_pem, key_sealed = excluded.key_sealed,
			cert_expires = excluded.cert_expires, created_at = excluded.created_at`,
		d.Name, d.AccountID, d.GroupID, string(d.NetworkType), d.CertName, d.CertPEM, keySealed,
		unixNano(d.CertExpires), unixNano(d.CreatedAt)); err != nil {
		return BoundDomain{}, "", err
	}
	return BoundDomain{CustomDomain: d, Group: g.Group}, detail, nil
}

// UnbindDomain removes a custom domain from a group of the actor's
// account. A name the group does not have is not an error: removed is
// false (DeleteDomain succeeds on an absent domain). A group that is not
// the account's answers NotFoundApiGroup.
func (s *Store) UnbindDomain(ctx context.Context, a Actor, groupID, name string) (removed bool, err error) {
	name = rules.NormalizeDomain(name)
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := getGroupDetail(ctx, tx, a.AccountID, groupID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM custom_domains WHERE name = ? AND group_id = ? AND account_id = ?`,
			name, groupID, a.AccountID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		removed = n > 0
		detail := "from group " + groupID
		if !removed {
			detail += " (was not bound)"
		}
		return s.logOp(ctx, tx, a, rules.ActionUnbindDomain, name, detail)
	})
	if err != nil {
		return false, fmt.Errorf("store: unbind domain %q from group %s: %w", name, groupID, err)
	}
	return removed, nil
}

// GetDomain returns a custom domain of the account (NotFoundDomain for an
// absent name or another account's).
func (s *Store) GetDomain(ctx context.Context, accountID, name string) (rules.CustomDomain, error) {
	name = rules.NormalizeDomain(name)
	var d rules.CustomDomain
	err := s.rq.QueryRowContext(ctx, `SELECT `+domainCols+` FROM custom_domains d WHERE d.name = ? AND d.account_id = ?`,
		name, accountID).Scan(domainDest(&d)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.CustomDomain{}, fmt.Errorf("store: domain %q: %w", name, rules.DomainNotFound(name))
	}
	if err != nil {
		return rules.CustomDomain{}, fmt.Errorf("store: domain %q: %w", name, err)
	}
	return d, nil
}

// ResolveTarget finds what a name is, whichever account it belongs to: a
// derived second-level domain of a group, a custom domain, or nothing
// (Group nil: unknown and malformed names). Names are the network's, not
// an account's: a shared instance serves every account's VPCs (R3), so the
// access check resolves them all and rules.Reach words the answer for the
// account that asks.
func (s *Store) ResolveTarget(ctx context.Context, name string) (rules.Target, error) {
	name = rules.NormalizeDomain(name)
	kind, groupID, regionID, derived := rules.ParseDerivedDomain(name)
	t := rules.Target{Name: name, Kind: kind}
	err := s.read(ctx, func(tx querier) error {
		var custom *rules.CustomDomain
		if !derived {
			if kind != rules.DomainCustom {
				return nil
			}
			var d rules.CustomDomain
			err := tx.QueryRowContext(ctx, `SELECT `+domainCols+` FROM custom_domains d WHERE d.name = ?`, name).Scan(domainDest(&d)...)
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			if err != nil {
				return err
			}
			custom, groupID = &d, d.GroupID
		}
		var g rules.Group
		var inst rules.Instance
		err := tx.QueryRowContext(ctx, `SELECT `+groupCols+`, `+instanceCols+`
			FROM api_groups g JOIN instances i ON i.id = g.instance_id
			WHERE g.id = CAST(? AS TEXT)`, groupID).Scan(dest(groupDest(&g), instanceDest(&inst))...)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if derived && g.RegionID != regionID {
			return nil
		}
		t.Group, t.Instance, t.Custom = &g, &inst, custom
		return nil
	})
	if err != nil {
		return rules.Target{}, fmt.Errorf("store: resolve %q: %w", name, err)
	}
	return t, nil
}

// SetDomainCertificate uploads the HTTPS certificate of a custom domain the
// group already has (Alibaba's SetDomainCertificate): in.Name, CertName,
// CertPEM and KeyPEM are read, the network type stays the domain's. Both
// the certificate and the key are needed (rules.CheckCertificateGiven),
// and they pass R9's checks as when binding (rules.ParseCertificate), the
// private key sealed the same way. A group that is not the account's
// answers NotFoundApiGroup; a name the group does not have, NotFoundDomain.
// The gateway serves the new certificate from the next handshake on.
func (s *Store) SetDomainCertificate(ctx context.Context, a Actor, groupID string, in rules.DomainInput) (BoundDomain, error) {
	in.Name = rules.NormalizeDomain(in.Name)
	var d BoundDomain
	err := s.write(ctx, func(tx *sql.Tx) error {
		existing, err := groupDomainInTx(ctx, tx, a.AccountID, groupID, in.Name)
		if err != nil {
			return err
		}
		if err := inputError(rules.CheckCertificateGiven(in)); err != nil {
			return err
		}
		in.NetworkType, in.Force = existing.NetworkType, false
		if d, _, err = s.bindDomain(ctx, tx, a, groupID, in); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionSetDomainCertificate, d.Name, "certificate "+rules.CertificateID(d.CertPEM)+certNameDetail(d.CertName))
	})
	if err != nil {
		return BoundDomain{}, fmt.Errorf("store: set the certificate of %q on group %s: %w", in.Name, groupID, err)
	}
	return d, nil
}

// DeleteDomainCertificate removes the HTTPS certificate certID from a
// custom domain of the group (Alibaba's DeleteDomainCertificate): the
// domain stays bound and serves HTTP only. As on Alibaba, a certificate
// the domain does not have (another id, none at all, or a name the group
// does not have) is not an error: removed is false. A group that is not
// the account's answers NotFoundApiGroup.
func (s *Store) DeleteDomainCertificate(ctx context.Context, a Actor, groupID, name, certID string) (removed bool, err error) {
	name = rules.NormalizeDomain(name)
	err = s.write(ctx, func(tx *sql.Tx) error {
		existing, err := groupDomainInTx(ctx, tx, a.AccountID, groupID, name)
		switch {
		case rules.HasCode(err, rules.CodeDomainNotFound):
		case err != nil:
			return err
		case existing.CertPEM != "" && rules.CertificateID(existing.CertPEM) == strings.ToLower(strings.TrimSpace(certID)):
			if _, err := tx.ExecContext(ctx, `UPDATE custom_domains SET cert_name = '', cert_pem = '', key_sealed = NULL, cert_expires = 0
				WHERE name = ?`, name); err != nil {
				return err
			}
			removed = true
		}
		detail := "certificate " + rules.Shorten(certID) // as sent: any length
		if !removed {
			detail += " (the domain had no such certificate)"
		}
		return s.logOp(ctx, tx, a, rules.ActionDeleteDomainCertificate, name, detail)
	})
	if err != nil {
		return false, fmt.Errorf("store: delete the certificate of %q on group %s: %w", name, groupID, err)
	}
	return removed, nil
}

// groupDomainInTx reads the custom domain name of a group of the account:
// NotFoundApiGroup when the group is not the account's, NotFoundDomain
// when the group does not have the name.
func groupDomainInTx(ctx context.Context, tx *sql.Tx, accountID, groupID, name string) (rules.CustomDomain, error) {
	if _, err := getGroupDetail(ctx, tx, accountID, groupID); err != nil {
		return rules.CustomDomain{}, err
	}
	d, _, found, err := domainByName(ctx, tx, name)
	if err != nil {
		return rules.CustomDomain{}, err
	}
	if !found || d.AccountID != accountID || d.GroupID != groupID {
		return rules.CustomDomain{}, rules.DomainNotFound(name)
	}
	return d, nil
}

func certNameDetail(name string) string {
	if name == "" {
		return ""
	}
	return " (" + name + ")"
}

// DomainCertificate returns the uploaded certificate of a custom domain,
// of whichever account, with its private key unsealed: what the gateway's
// TLS listener serves for the name. ok is false when no domain has the
// name or it has no certificate.
func (s *Store) DomainCertificate(ctx context.Context, name string) (certPEM, keyPEM []byte, ok bool, err error) {
	name = rules.NormalizeDomain(name)
	d, sealed, found, err := domainByName(ctx, s.rq, name)
	if err != nil {
		return nil, nil, false, fmt.Errorf("store: certificate of %q: %w", name, err)
	}
	if !found || d.CertPEM == "" || len(sealed) == 0 {
		return nil, nil, false, nil
	}
	key, err := s.unseal(sealed, domainKeyAAD(d.Name))
	if err != nil {
		return nil, nil, false, fmt.Errorf("store: certificate of %q: %w", name, err)
	}
	return []byte(d.CertPEM), key, true, nil
}
