package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gatehouse/rules"
)

// What the gateway serves from, of every account: instances, VPCs and
// custom domains, read in one snapshot of the database with the gateway
// generation they are at (GatewayState), which the gateway keeps in memory
// and reads again when GatewayGeneration moves; and each group with its
// instance and deployed APIs, one at a time, when a call first names it
// (GatewayGroup). A database of 100,000 groups and 200,000 deployments
// costs the gateway only the groups it is called on, and reading the state
// again after a change stays quick.

// GatewayState is what the gateway reads whole.
type GatewayState struct {
	Generation int64 // the gateway generation the state is at
	Instances  []rules.Instance
	Vpcs       []rules.VPC
	Domains    []rules.CustomDomain
}

// gatewayGroupCols are the columns of a group the gateway reads.
const gatewayGroupCols = `g.id, g.account_id, g.region_id, g.instance_id, g.name, g.vpc_domain_enabled`

func gatewayGroupDest(g *rules.Group) []any {
	return []any{&g.ID, &g.AccountID, &g.RegionID, &g.InstanceID, &g.Name, &g.VpcDomainEnabled}
}

// GatewayState reads the gateway's state in one read transaction, so it is
// the state after some commit, never a mix of two.
func (s *Store) GatewayState(ctx context.Context) (GatewayState, error) {
	var st GatewayState
	err := s.read(ctx, func(tx querier) error {
		var err error
		if st.Generation, err = s.gen.read(ctx, tx); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+instanceCols+` FROM instances i`)
		if err != nil {
			return err
		}
		if st.Instances, err = scanAll(rows, func(in *rules.Instance) []any { return instanceDest(in) }); err != nil {
			return err
		}
		if rows, err = tx.QueryContext(ctx, `SELECT `+domainCols+` FROM custom_domains d`); err != nil {
			return err
		}
		if st.Domains, err = scanAll(rows, func(d *rules.CustomDomain) []any { return domainDest(d) }); err != nil {
			return err
		}
		if rows, err = tx.QueryContext(ctx, `SELECT `+vpcCols+` FROM vpcs v`); err != nil {
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

// GatewayGroup is one group, of whichever account, with its instance and
// its deployed APIs, as the gateway reads it when a call names it (OK
// false when no group has the id), and the gateway generation it was read
// at: all read together, so they go together. The group has no
// description and times: the gateway does not show them.
type GatewayGroup struct {
	Group       rules.Group
	Instance    rules.Instance
	Deployments []rules.Deployment // every stage's
	OK          bool
	Generation  int64
}

// GatewayGroup reads one group with its instance, its deployments and the
// generation.
func (s *Store) GatewayGroup(ctx context.Context, id string) (GatewayGroup, error) {
	var gg GatewayGroup
	err := s.read(ctx, func(tx querier) error {
		var err error
		if gg.Generation, err = s.gen.read(ctx, tx); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT `+gatewayGroupCols+`, `+instanceCols+`
			FROM api_groups g JOIN instances i ON i.id = g.instance_id WHERE g.id = CAST(? AS TEXT)`, id).
			Scan(dest(gatewayGroupDest(&gg.Group), instanceDest(&gg.Instance))...)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		gg.OK = true
		gg.Deployments, err = scanDeployments(ctx, tx, nil, `SELECT `+deploymentCols+` FROM api_deployments d INDEXED BY api_deployments_route
			WHERE d.group_id = CAST(? AS TEXT)`, id)
		return err
	})
	if err != nil {
		return GatewayGroup{}, fmt.Errorf("store: gateway group %s: %w", id, err)
	}
	return gg, nil
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
	err := s.rq.QueryRowContext(ctx, `SELECT `+vpcCols+` FROM vpcs v WHERE v.id = CAST(? AS TEXT)`, id).Scan(vpcDest(&v)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.VPC{}, rules.VpcNotFound(id)
	}
	if err != nil {
		return rules.VPC{}, fmt.Errorf("store: vpc %s: %w", id, err)
	}
	return v, nil
}
