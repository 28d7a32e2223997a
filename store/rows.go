package store

import (
	"fmt"
	"time"

	"gatehouse/rules"
)

// Column lists and their scan destinations, one pair per entity, so that
// every query selecting an entity (alone or joined) reads it the same way.
// Columns of tables that may be LEFT JOINed are COALESCEd: a missing row
// scans as the zero value, recognised by an empty id.

const instanceCols = `i.id, i.type, COALESCE(i.account_id, ''), i.region_id, i.zone_id, i.name, i.spec,
	i.status, i.https_policy, COALESCE(i.vpc_id, ''), COALESCE(i.vswitch_id, ''), i.endpoint_ip, i.created_at`

func instanceDest(in *rules.Instance) []any {
	return []any{&in.ID, &in.Type, &in.AccountID, &in.RegionID, &in.ZoneID, &in.Name, &in.Spec,
		&in.Status, &in.HTTPSPolicy, &in.VpcID, &in.VSwitchID, &in.EndpointIP, nanoTime{&in.CreatedAt}}
}

const groupCols = `g.id, g.account_id, g.region_id, g.instance_id, g.name, g.description,
	g.vpc_domain_enabled, g.created_at, g.modified_at`

func groupDest(g *rules.Group) []any {
	return []any{&g.ID, &g.AccountID, &g.RegionID, &g.InstanceID, &g.Name, &g.Description,
		&g.VpcDomainEnabled, nanoTime{&g.CreatedAt}, nanoTime{&g.ModifiedAt}}
}

const vpcCols = `COALESCE(v.id, ''), COALESCE(v.account_id, ''), COALESCE(v.region_id, ''), COALESCE(v.name, ''),
	COALESCE(v.description, ''), COALESCE(v.cidr, ''), COALESCE(v.created_at, 0)`

func vpcDest(v *rules.VPC) []any {
	return []any{&v.ID, &v.AccountID, &v.RegionID, &v.Name, &v.Description, &v.CIDR, nanoTime{&v.CreatedAt}}
}

const vswitchCols = `COALESCE(w.id, ''), COALESCE(w.account_id, ''), COALESCE(w.vpc_id, ''), COALESCE(w.zone_id, ''),
	COALESCE(w.name, ''), COALESCE(w.cidr, ''), COALESCE(w.created_at, 0)`

func vswitchDest(w *rules.VSwitch) []any {
	return []any{&w.ID, &w.AccountID, &w.VpcID, &w.ZoneID, &w.Name, &w.CIDR, nanoTime{&w.CreatedAt}}
}

const domainCols = `d.name, d.account_id, d.group_id, d.network_type, d.cert_name, d.cert_pem,
	d.cert_expires, d.created_at`

func domainDest(d *rules.CustomDomain) []any {
	return []any{&d.Name, &d.AccountID, &d.GroupID, &d.NetworkType, &d.CertName, &d.CertPEM,
		nanoTime{&d.CertExpires}, nanoTime{&d.CreatedAt}}
}

// dest concatenates scan destinations.
func dest(parts ...[]any) []any {
	var all []any
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

// nanoTime scans a stored time (integer nanoseconds, UTC; 0 or NULL is the
// zero time) into a time.Time.
type nanoTime struct{ t *time.Time }

func (n nanoTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n.t = time.Time{}
	case int64:
		*n.t = fromUnixNano(v)
	default:
		return fmt.Errorf("store: scan time: unexpected %T", src)
	}
	return nil
}

// optional returns a pointer to v when its id is set, nil otherwise.
func optional[T any](v T, id string) *T {
	if id == "" {
		return nil
	}
	return &v
}
