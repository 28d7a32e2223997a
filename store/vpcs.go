package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gatehouse/rules"
)

// VpcWithVSwitches is a VPC and its vSwitches (oldest first).
type VpcWithVSwitches struct {
	rules.VPC
	VSwitches []rules.VSwitch
}

// VSwitchQuery filters ListVSwitches; empty fields match everything.
type VSwitchQuery struct {
	RegionID string
	VpcID    string
	ZoneID   string
}

// CreateVpc creates a VPC in the actor's account. CIDR blocks of VPCs may
// overlap (as on Alibaba Cloud).
func (s *Store) CreateVpc(ctx context.Context, a Actor, in rules.VpcInput) (rules.VPC, error) {
	var v rules.VPC
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		v, err = s.createVpc(ctx, tx, a, in)
		return err
	})
	if err != nil {
		return rules.VPC{}, fmt.Errorf("store: create vpc: %w", err)
	}
	return v, nil
}

func (s *Store) createVpc(ctx context.Context, tx *sql.Tx, a Actor, in rules.VpcInput) (rules.VPC, error) {
	in = in.Normalize()
	if err := inputError(in.Validate()); err != nil {
		return rules.VPC{}, err
	}
	v := rules.VPC{ID: rules.NewVpcID(), AccountID: a.AccountID, RegionID: in.RegionID, Name: in.Name,
		Description: in.Description, CIDR: in.CIDR, CreatedAt: s.now().UTC()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO vpcs (id, account_id, region_id, name, description, cidr, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, v.ID, v.AccountID, v.RegionID, v.Name, v.Description, v.CIDR, unixNano(v.CreatedAt)); err != nil {
		return rules.VPC{}, err
	}
	return v, s.logOp(ctx, tx, a, rules.ActionCreateVpc, v.ID, fmt.Sprintf("%s %s %s", v.RegionID, v.CIDR, v.Name))
}

// getVpc reads a VPC of the account.
func getVpc(ctx context.Context, q querier, accountID, id string) (rules.VPC, error) {
	var v rules.VPC
	err := q.QueryRowContext(ctx, `SELECT `+vpcCols+` FROM vpcs v WHERE v.id = ? AND v.account_id = ?`, id, accountID).
		Scan(vpcDest(&v)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.VPC{}, rules.VpcNotFound(id)
	}
	return v, err
}

// getVSwitch reads a vSwitch of the account.
func getVSwitch(ctx context.Context, q querier, accountID, id string) (rules.VSwitch, error) {
	var w rules.VSwitch
	err := q.QueryRowContext(ctx, `SELECT `+vswitchCols+` FROM vswitches w WHERE w.id = ? AND w.account_id = ?`, id, accountID).
		Scan(vswitchDest(&w)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.VSwitch{}, rules.VSwitchNotFound(id)
	}
	return w, err
}

// queryVSwitches runs a vSwitch query built from where and args.
func queryVSwitches(ctx context.Context, q querier, where string, args ...any) ([]rules.VSwitch, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+vswitchCols+` FROM vswitches w `+where+` ORDER BY w.created_at, w.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rules.VSwitch
	for rows.Next() {
		var w rules.VSwitch
		if err := rows.Scan(vswitchDest(&w)...); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// instancesBoundTo reads the instances bound through a VPC or a vSwitch
// (column "vpc_id" or "vswitch_id").
func instancesBoundTo(ctx context.Context, q querier, column, id string) ([]rules.Instance, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+instanceCols+` FROM instances i WHERE i.`+column+` = ? ORDER BY i.created_at, i.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rules.Instance
	for rows.Next() {
		var in rules.Instance
		if err := rows.Scan(instanceDest(&in)...); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// accountVpcsWhere selects the account's VPCs in regionID ("" = every
// region), on alias v.
func accountVpcsWhere(accountID, regionID string) (string, []any) {
	where, args := "WHERE v.account_id = CAST(? AS TEXT)", []any{accountID}
	if regionID != "" {
		where += " AND v.region_id = CAST(? AS TEXT)"
		args = append(args, regionID)
	}
	return where, args
}

// queryVpcs runs a VPC query built from where (on alias v) and args,
// oldest first.
func queryVpcs(ctx context.Context, q querier, where string, args ...any) ([]rules.VPC, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+vpcCols+` FROM vpcs v `+where+` ORDER BY v.created_at, v.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rules.VPC
	for rows.Next() {
		var v rules.VPC
		if err := rows.Scan(vpcDest(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ListVpcsWithoutVSwitches returns the account's VPCs in regionID ("" =
// every region), oldest first: one query, for pages that show VPCs and not
// their vSwitches.
func (s *Store) ListVpcsWithoutVSwitches(ctx context.Context, accountID, regionID string) ([]rules.VPC, error) {
	where, args := accountVpcsWhere(accountID, regionID)
	out, err := queryVpcs(ctx, s.rq, where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list vpcs: %w", err)
	}
	return out, nil
}

// ListVpcs returns the account's VPCs in regionID ("" = every region),
// oldest first, each with its vSwitches: two queries in one snapshot.
func (s *Store) ListVpcs(ctx context.Context, accountID, regionID string) ([]VpcWithVSwitches, error) {
	var out []VpcWithVSwitches
	err := s.read(ctx, func(tx querier) error {
		where, args := accountVpcsWhere(accountID, regionID)
		vpcs, err := queryVpcs(ctx, tx, where, args...)
		if err != nil || len(vpcs) == 0 {
			return err
		}
		index := make(map[string]int, len(vpcs))
		for i, v := range vpcs {
			index[v.ID] = i
			out = append(out, VpcWithVSwitches{VPC: v})
		}
		vsws, err := queryVSwitches(ctx, tx, `JOIN vpcs v ON v.id = w.vpc_id `+where, args...)
		if err != nil {
			return err
		}
		for _, w := range vsws {
			if i, ok := index[w.VpcID]; ok {
				out[i].VSwitches = append(out[i].VSwitches, w)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: list vpcs: %w", err)
	}
	return out, nil
}

// GetVpc returns a VPC of the account with its vSwitches.
func (s *Store) GetVpc(ctx context.Context, accountID, id string) (VpcWithVSwitches, error) {
	var v VpcWithVSwitches
	err := s.read(ctx, func(tx querier) error {
		var err error
		if v.VPC, err = getVpc(ctx, tx, accountID, id); err != nil {
			return err
		}
		v.VSwitches, err = queryVSwitches(ctx, tx, `WHERE w.vpc_id = ?`, id)
		return err
	})
	if err != nil {
		return VpcWithVSwitches{}, fmt.Errorf("store: vpc %s: %w", id, err)
	}
	return v, nil
}

// DeleteVpc deletes a VPC of the actor's account; one with vSwitches or a
// bound instance is refused (rules.CheckDeleteVpc).
func (s *Store) DeleteVpc(ctx context.Context, a Actor, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		v, err := getVpc(ctx, tx, a.AccountID, id)
		if err != nil {
			return err
		}
		vsws, err := queryVSwitches(ctx, tx, `WHERE w.vpc_id = ?`, id)
		if err != nil {
			return err
		}
		bound, err := instancesBoundTo(ctx, tx, "vpc_id", id)
		if err != nil {
			return err
		}
		if err := rules.CheckDeleteVpc(v, vsws, bound); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM vpcs WHERE id = ?`, id); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionDeleteVpc, id, v.Name)
	})
	if err != nil {
		return fmt.Errorf("store: delete vpc %s: %w", id, err)
	}
	return nil
}

// CreateVSwitch creates a vSwitch in a VPC of the actor's account
// (rules.CheckVSwitchPlacement: zone of the VPC's region, CIDR inside the
// VPC's, no overlap with its siblings).
func (s *Store) CreateVSwitch(ctx context.Context, a Actor, in rules.VSwitchInput) (rules.VSwitch, error) {
	var w rules.VSwitch
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		w, err = s.createVSwitch(ctx, tx, a, in)
		return err
	})
	if err != nil {
		return rules.VSwitch{}, fmt.Errorf("store: create vswitch: %w", err)
	}
	return w, nil
}

func (s *Store) createVSwitch(ctx context.Context, tx *sql.Tx, a Actor, in rules.VSwitchInput) (rules.VSwitch, error) {
	in = in.Normalize()
	var v rules.VPC
	errs, err := checkAlso(in.Validate(), []string{rules.FieldVpc}, func() error {
		var err error
		v, err = getVpc(ctx, tx, a.AccountID, in.VpcID)
		return err
	})
	if err != nil {
		return rules.VSwitch{}, err
	}
	// A bad name does not hide that the block overlaps another vSwitch.
	errs, err = checkAlso(errs, []string{rules.FieldVpc, rules.FieldZone, rules.FieldCIDR}, func() error {
		siblings, err := queryVSwitches(ctx, tx, `WHERE w.vpc_id = ?`, v.ID)
		if err != nil {
			return err
		}
		return rules.CheckVSwitchPlacement(in, v, siblings)
	})
	if err != nil {
		return rules.VSwitch{}, err
	}
	if err := inputError(errs); err != nil {
		return rules.VSwitch{}, err
	}
	w := rules.VSwitch{ID: rules.NewVSwitchID(), AccountID: a.AccountID, VpcID: v.ID, ZoneID: in.ZoneID,
		Name: in.Name, CIDR: in.CIDR, CreatedAt: s.now().UTC()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO vswitches (id, account_id, vpc_id, zone_id, name, cidr, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, w.ID, w.AccountID, w.VpcID, w.ZoneID, w.Name, w.CIDR, unixNano(w.CreatedAt)); err != nil {
		return rules.VSwitch{}, err
	}
	return w, s.logOp(ctx, tx, a, rules.ActionCreateVSwitch, w.ID, fmt.Sprintf("%s %s %s %s", w.VpcID, w.ZoneID, w.CIDR, w.Name))
}

// DeleteVSwitch deletes a vSwitch of the actor's account; one an instance
// is bound through is refused (rules.CheckDeleteVSwitch).
func (s *Store) DeleteVSwitch(ctx context.Context, a Actor, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		w, err := getVSwitch(ctx, tx, a.AccountID, id)
		if err != nil {
			return err
		}
		bound, err := instancesBoundTo(ctx, tx, "vswitch_id", id)
		if err != nil {
			return err
		}
		if err := rules.CheckDeleteVSwitch(w, bound); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM vswitches WHERE id = ?`, id); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionDeleteVSwitch, id, w.VpcID)
	})
	if err != nil {
		return fmt.Errorf("store: delete vswitch %s: %w", id, err)
	}
	return nil
}

// GetVSwitch returns a vSwitch of the account.
func (s *Store) GetVSwitch(ctx context.Context, accountID, id string) (rules.VSwitch, error) {
	w, err := getVSwitch(ctx, s.rq, accountID, id)
	if err != nil {
		return rules.VSwitch{}, fmt.Errorf("store: vswitch %s: %w", id, err)
	}
	return w, nil
}

// ListedVSwitch is a vSwitch as ListVSwitches reads it: with the number
// of VPC endpoints in its block (the instances bound through it).
type ListedVSwitch struct {
	rules.VSwitch
	Endpoints int
}

// ListVSwitches returns the account's vSwitches matching q, oldest first,
// each with its endpoints counted in the same snapshot. A VpcID that is
// not the account's answers InvalidVpcId.NotFound.
func (s *Store) ListVSwitches(ctx context.Context, accountID string, q VSwitchQuery) ([]ListedVSwitch, error) {
	var out []ListedVSwitch
	err := s.read(ctx, func(tx querier) error {
		where, args := "JOIN vpcs v ON v.id = w.vpc_id WHERE w.account_id = ?", []any{accountID}
		if q.VpcID != "" {
			if _, err := getVpc(ctx, tx, accountID, q.VpcID); err != nil {
				return err
			}
			where += " AND w.vpc_id = ?"
			args = append(args, q.VpcID)
		}
		if q.RegionID != "" {
			where += " AND v.region_id = ?"
			args = append(args, q.RegionID)
		}
		if q.ZoneID != "" {
			where += " AND w.zone_id = ?"
			args = append(args, q.ZoneID)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+vswitchCols+`, (SELECT COUNT(*) FROM instances i WHERE i.vswitch_id = w.id)
			FROM vswitches w `+where+` ORDER BY w.created_at, w.id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w ListedVSwitch
			if err := rows.Scan(append(vswitchDest(&w.VSwitch), &w.Endpoints)...); err != nil {
				return err
			}
			out = append(out, w)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: list vswitches: %w", err)
	}
	return out, nil
}
