package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gatehouse/rules"
)

// What the gateway serves from: every account's groups, instances, custom
// domains and VPCs, read in one snapshot of the database. The gateway
// keeps them in memory and reads them again when Changes moves.

// GatewayState is everything the gateway needs to route and decide calls,
// of every account.
type GatewayState struct {
	Instances []rules.Instance
	Groups    []rules.Group // without description and times: the gateway does not show them
	Domains   []rules.CustomDomain
	Vpcs      []rules.VPC
}

// GatewayState reads the gateway's state in one read transaction, so it is
// the state after some commit, never a mix of two.
func (s *Store) GatewayState(ctx context.Context) (GatewayState, error) {
	var st GatewayState
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+instanceCols+` FROM instances i ORDER BY i.id`)
		if err != nil {
			return err
		}
		if st.Instances, err = scanAll(rows, func(in *rules.Instance) []any { return instanceDest(in) }); err != nil {
			return err
		}
		if rows, err = tx.QueryContext(ctx, `SELECT g.id, g.account_id, g.region_id, g.instance_id, g.name, g.vpc_domain_enabled
			FROM api_groups g ORDER BY g.id`); err != nil {
			return err
		}
		if st.Groups, err = scanAll(rows, func(g *rules.Group) []any {
			return []any{&g.ID, &g.AccountID, &g.RegionID, &g.InstanceID, &g.Name, &g.VpcDomainEnabled}
		}); err != nil {
			return err
		}
		if rows, err = tx.QueryContext(ctx, `SELECT `+domainCols+` FROM custom_domains d ORDER BY d.name`); err != nil {
			return err
		}
		if st.Domains, err = scanAll(rows, func(d *rules.CustomDomain) []any { return domainDest(d) }); err != nil {
			return err
		}
		if rows, err = tx.QueryContext(ctx, `SELECT `+vpcCols+` FROM vpcs v ORDER BY v.id`); err != nil {
			return err
		}
		st.Vpcs, err = scanAll(rows, func(v *rules.VPC) []any { return vpcDest(v) })
		return err
	})
	if err != nil {
		return GatewayState{}, fmt.Errorf("store: gateway state: %w", err)
	}
	return st, nil
}

// scanAll reads every row into a T and closes rows.
func scanAll[T any](rows *sql.Rows, dest func(*T) []any) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(dest(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VpcByID returns the VPC of that id in whichever account holds it: the
// command line's way to a network (`gatehouse network url --vpc`). An
// unknown id answers rules' VPC not found.
func (s *Store) VpcByID(ctx context.Context, id string) (rules.VPC, error) {
	var v rules.VPC
	err := s.r.QueryRowContext(ctx, `SELECT `+vpcCols+` FROM vpcs v WHERE v.id = CAST(? AS TEXT)`, id).Scan(vpcDest(&v)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.VPC{}, rules.VpcNotFound(id)
	}
	if err != nil {
		return rules.VPC{}, fmt.Errorf("store: vpc %s: %w", id, err)
	}
	return v, nil
}
