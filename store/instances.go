package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gatehouse/rules"
)

// InstanceRow is an instance as the console lists it: with its VPC binding
// resolved (nil when unbound or shared) and how many of the account's
// groups it carries.
type InstanceRow struct {
	rules.Instance
	Vpc     *rules.VPC
	VSwitch *rules.VSwitch
	Groups  int
	// VpcEnabled counts those groups whose VPC domain is enabled: they
	// hold the binding (R7).
	VpcEnabled int
}

// getInstance reads an instance visible to the account: a shared one or
// one of its dedicated ones.
func getInstance(ctx context.Context, q querier, accountID, id string) (rules.Instance, error) {
	var in rules.Instance
	err := q.QueryRowContext(ctx, `SELECT `+instanceCols+` FROM instances i
		WHERE i.id = CAST(? AS TEXT) AND (i.account_id = CAST(? AS TEXT) OR i.account_id IS NULL)`, id, accountID).Scan(instanceDest(&in)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.Instance{}, rules.InstanceNotFound(id)
	}
	return in, err
}

// queryInstanceRows lists instances with binding and the account's group
// counts in one query; where filters on alias i.
func queryInstanceRows(ctx context.Context, q querier, accountID, where string, args ...any) ([]InstanceRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+instanceCols+`, `+vpcCols+`, `+vswitchCols+`,
		(SELECT COUNT(*) FROM api_groups g WHERE g.instance_id = i.id AND g.account_id = ?1),
		(SELECT COUNT(*) FROM api_groups g WHERE g.instance_id = i.id AND g.account_id = ?1 AND g.vpc_domain_enabled = 1)
		FROM instances i
		LEFT JOIN vpcs v ON v.id = i.vpc_id
		LEFT JOIN vswitches w ON w.id = i.vswitch_id
		WHERE `+where+` ORDER BY i.created_at, i.id`, append([]any{accountID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InstanceRow
	for rows.Next() {
		var r InstanceRow
		var v rules.VPC
		var w rules.VSwitch
		if err := rows.Scan(dest(instanceDest(&r.Instance), vpcDest(&v), vswitchDest(&w), []any{&r.Groups, &r.VpcEnabled})...); err != nil {
			return nil, err
		}
		r.Vpc, r.VSwitch = optional(v, v.ID), optional(w, w.ID)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListInstances returns the account's dedicated instances in regionID
// ("" = every region), oldest first.
func (s *Store) ListInstances(ctx context.Context, accountID, regionID string) ([]InstanceRow, error) {
	where, args := "i.account_id = ?", []any{accountID}
	if regionID != "" {
		where += " AND i.region_id = ?"
		args = append(args, regionID)
	}
	out, err := queryInstanceRows(ctx, s.rq, accountID, where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list instances: %w", err)
	}
	return out, nil
}

// ListSharedInstances returns the shared instances of regionID ("" = every
// region); Groups counts the account's groups on each.
func (s *Store) ListSharedInstances(ctx context.Context, accountID, regionID string) ([]InstanceRow, error) {
	where, args := "i.account_id IS NULL", []any{}
	if regionID != "" {
		where += " AND i.region_id = ?"
		args = append(args, regionID)
	}
	out, err := queryInstanceRows(ctx, s.rq, accountID, where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list shared instances: %w", err)
	}
	return out, nil
}

// RegionInstances are the instances a group of the account may use in
// regionID: the region's shared instances, then the account's dedicated
// ones, each kind oldest first. It reads the instances alone, without the
// group counts of ListInstances (which cost a count over the instance's
// groups): Group Details asks for it on every view.
func (s *Store) RegionInstances(ctx context.Context, accountID, regionID string) ([]rules.Instance, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+instanceCols+` FROM instances i
		WHERE i.region_id = CAST(? AS TEXT) AND (i.account_id IS NULL OR i.account_id = CAST(? AS TEXT))
		ORDER BY i.account_id IS NOT NULL, i.created_at, i.id`, regionID, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: instances of %s: %w", regionID, err)
	}
	out, err := scanAll(rows, instanceDest)
	if err != nil {
		return nil, fmt.Errorf("store: instances of %s: %w", regionID, err)
	}
	return out, nil
}

// GetInstance returns a shared instance or one of the account's dedicated
// instances.
func (s *Store) GetInstance(ctx context.Context, accountID, id string) (InstanceRow, error) {
	rows, err := queryInstanceRows(ctx, s.rq, accountID, "i.id = ? AND (i.account_id = ? OR i.account_id IS NULL)", id, accountID)
	if err != nil {
		return InstanceRow{}, fmt.Errorf("store: instance %s: %w", id, err)
	}
	if len(rows) == 0 {
		return InstanceRow{}, fmt.Errorf("store: instance %s: %w", id, rules.InstanceNotFound(id))
	}
	return rows[0], nil
}

// CreateInstance creates a RUNNING dedicated instance in the actor's
// account.
func (s *Store) CreateInstance(ctx context.Context, a Actor, in rules.InstanceInput) (rules.Instance, error) {
	var inst rules.Instance
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		inst, err = s.createInstance(ctx, tx, a, in)
		return err
	})
	if err != nil {
		return rules.Instance{}, fmt.Errorf("store: create instance: %w", err)
	}
	return inst, nil
}

func (s *Store) createInstance(ctx context.Context, tx *sql.Tx, a Actor, in rules.InstanceInput) (rules.Instance, error) {
	in = in.Normalize()
	if err := inputError(in.Validate()); err != nil {
		return rules.Instance{}, err
	}
	inst := rules.Instance{ID: rules.NewDedicatedInstanceID(in.RegionID), Type: rules.InstanceDedicated,
		AccountID: a.AccountID, RegionID: in.RegionID, ZoneID: in.ZoneID, Name: in.Name, Spec: in.Spec,
		Status: "RUNNING", HTTPSPolicy: in.HTTPSPolicy, CreatedAt: s.now().UTC()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO instances
		(id, type, account_id, region_id, zone_id, name, spec, status, https_policy, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inst.ID, string(inst.Type), inst.AccountID, inst.RegionID, inst.ZoneID, inst.Name, inst.Spec,
		inst.Status, inst.HTTPSPolicy, unixNano(inst.CreatedAt)); err != nil {
		return rules.Instance{}, err
	}
	return inst, s.logOp(ctx, tx, a, rules.ActionCreateInstance, inst.ID, fmt.Sprintf("%s %s %s", inst.ZoneID, inst.Spec, inst.Name))
}

// InstanceModification is a dedicated instance as ModifyInstance committed
// it, and the name and HTTPS policy it had when the transaction read it.
type InstanceModification struct {
	rules.Instance
	WasName, WasHTTPSPolicy string
}

// ModifyInstance changes the name and/or the HTTPS policy of a dedicated
// instance of the actor's account (rules.CheckModifyInstance: shared
// instances are read-only, another account's is not found). A new policy
// moves the gateway generation (the instances trigger of schemaV7), so the
// gateway's next TLS handshake on the domains of the instance's groups
// follows it; a name alone does not, as the gateway serves nothing by it.
func (s *Store) ModifyInstance(ctx context.Context, a Actor, id string, ch rules.InstanceChange) (InstanceModification, error) {
	var m InstanceModification
	err := s.write(ctx, func(tx *sql.Tx) error {
		inst, err := getInstance(ctx, tx, a.AccountID, id)
		if err != nil {
			return err
		}
		after, errs := rules.CheckModifyInstance(inst, a.AccountID, ch)
		if err := inputError(errs); err != nil {
			return err
		}
		var changed []string
		if after.Name != inst.Name {
			if _, err := tx.ExecContext(ctx, `UPDATE instances SET name = ? WHERE id = ?`, after.Name, inst.ID); err != nil {
				return err
			}
			changed = append(changed, fmt.Sprintf("name %s → %s", inst.Name, after.Name))
		}
		if after.HTTPSPolicy != inst.HTTPSPolicy {
			if _, err := tx.ExecContext(ctx, `UPDATE instances SET https_policy = ? WHERE id = ?`, after.HTTPSPolicy, inst.ID); err != nil {
				return err
			}
			changed = append(changed, fmt.Sprintf("HTTPS policy %s → %s", inst.HTTPSPolicy, after.HTTPSPolicy))
		}
		if len(changed) == 0 {
			changed = append(changed, "unchanged")
		}
		m = InstanceModification{Instance: after, WasName: inst.Name, WasHTTPSPolicy: inst.HTTPSPolicy}
		return s.logOp(ctx, tx, a, rules.ActionModifyInstance, inst.ID, strings.Join(changed, "; "))
	})
	if err != nil {
		return InstanceModification{}, fmt.Errorf("store: modify instance %s: %w", id, err)
	}
	return m, nil
}

// DeleteInstance deletes a dedicated instance of the actor's account; one
// that still carries groups is refused (rules.CheckDeleteInstance).
func (s *Store) DeleteInstance(ctx context.Context, a Actor, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		inst, err := getInstance(ctx, tx, a.AccountID, id)
		if err != nil {
			return err
		}
		// A shared instance is refused before anything is read of it: its
		// groups are every tenant's.
		var groups int
		if inst.Dedicated() {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_groups WHERE instance_id = ? AND account_id = ?`, id, a.AccountID).Scan(&groups); err != nil {
				return err
			}
		}
		if err := rules.CheckDeleteInstance(inst, groups); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM instances WHERE id = ?`, id); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionDeleteInstance, id, inst.Name)
	})
	if err != nil {
		return fmt.Errorf("store: delete instance %s: %w", id, err)
	}
	return nil
}

// BindVpc binds a dedicated instance of the actor's account to a VPC and
// vSwitch of the same account (R4), or changes its binding (R6). The
// binding lives in the instance row, so the change is one UPDATE: every
// group on the instance moves to the new VPC at once and no reader sees a
// mix. The endpoint address comes from rules.DedicatedEndpointAddress,
// avoiding the addresses of other instances in the same vSwitch. The
// operation log says BindVpc or ChangeVpc.
func (s *Store) BindVpc(ctx context.Context, a Actor, instanceID, vpcID, vswitchID string) (BindingChange, error) {
	var ch BindingChange
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		ch, err = s.bindVpc(ctx, tx, a, instanceID, vpcID, vswitchID)
		return err
	})
	if err != nil {
		return BindingChange{}, fmt.Errorf("store: bind instance %s to %s: %w", instanceID, vpcID, err)
	}
	return ch, nil
}

// BindingChange is a dedicated instance's VPC binding as a transaction
// changed it: the instance as committed, and the binding it had when the
// transaction read it (empty when it had none), so that what is said about
// the change names what was replaced, not what a read before it saw.
type BindingChange struct {
	rules.Instance
	WasVpcID, WasVSwitchID string
}

func (s *Store) bindVpc(ctx context.Context, tx *sql.Tx, a Actor, instanceID, vpcID, vswitchID string) (BindingChange, error) {
	vpcID, vswitchID = rules.TrimField(vpcID), rules.TrimField(vswitchID)
	if err := inputError(rules.FieldErrors(rules.CheckVpcID(vpcID), rules.CheckVSwitchID(vswitchID))); err != nil {
		return BindingChange{}, err
	}
	inst, err := getInstance(ctx, tx, a.AccountID, instanceID)
	if err != nil {
		return BindingChange{}, err
	}
	v, err := getVpc(ctx, tx, a.AccountID, vpcID)
	if err != nil {
		return BindingChange{}, err
	}
	w, err := getVSwitch(ctx, tx, a.AccountID, vswitchID)
	if err != nil {
		return BindingChange{}, err
	}
	if err := rules.CheckBindVpc(inst, v, w, a.AccountID); err != nil {
		return BindingChange{}, err
	}
	// The endpoint avoids the addresses of other instances in the vSwitch.
	neighbours, err := instancesBoundTo(ctx, tx, "vswitch_id", w.ID)
	if err != nil {
		return BindingChange{}, err
	}
	var taken []string
	for _, n := range neighbours {
		if n.ID != inst.ID {
			taken = append(taken, n.EndpointIP)
		}
	}
	ip, err := rules.DedicatedEndpointAddress(w.CIDR, inst.ID, taken...)
	if err != nil {
		return BindingChange{}, err
	}
	action, detail := rules.ActionBindVpc, fmt.Sprintf("%s %s %s", v.ID, w.ID, ip)
	if inst.Bound() {
		action, detail = rules.ActionChangeVpc, fmt.Sprintf("%s %s → %s", inst.VpcID, inst.VSwitchID, detail)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE instances SET vpc_id = ?, vswitch_id = ?, endpoint_ip = ? WHERE id = ?`,
		v.ID, w.ID, ip, inst.ID); err != nil {
		return BindingChange{}, err
	}
	ch := BindingChange{Instance: inst, WasVpcID: inst.VpcID, WasVSwitchID: inst.VSwitchID}
	ch.VpcID, ch.VSwitchID, ch.EndpointIP = v.ID, w.ID, ip
	return ch, s.logOp(ctx, tx, a, action, inst.ID, detail)
}

// VpcEnabledGroups returns the account's groups on an instance whose VPC
// domain is enabled, oldest first: those that hold its binding (R7).
func (s *Store) VpcEnabledGroups(ctx context.Context, accountID, instanceID string) ([]rules.Group, error) {
	out, err := vpcEnabledGroups(ctx, s.rq, accountID, instanceID)
	if err != nil {
		return nil, fmt.Errorf("store: VPC-enabled groups on %s: %w", instanceID, err)
	}
	return out, nil
}

// vpcEnabledGroups reads the account's groups on an instance that have the
// VPC domain enabled.
func vpcEnabledGroups(ctx context.Context, q querier, accountID, instanceID string) ([]rules.Group, error) {
	return queryGroups(ctx, q, `WHERE g.instance_id = ? AND g.account_id = ? AND g.vpc_domain_enabled = 1`, instanceID, accountID)
}

// UnbindVpc removes the VPC binding of a dedicated instance of the actor's
// account. It is refused while groups on it have the VPC domain enabled
// (R7, read inside the transaction, so an enable racing the unbind cannot
// slip between the check and the write).
func (s *Store) UnbindVpc(ctx context.Context, a Actor, instanceID string) (BindingChange, error) {
	var ch BindingChange
	err := s.write(ctx, func(tx *sql.Tx) error {
		inst, err := getInstance(ctx, tx, a.AccountID, instanceID)
		if err != nil {
			return err
		}
		var enabled []rules.Group // a shared instance's groups are every tenant's: not read
		if inst.Dedicated() {
			if enabled, err = vpcEnabledGroups(ctx, tx, a.AccountID, instanceID); err != nil {
				return err
			}
		}
		if err := rules.CheckUnbindVpc(inst, enabled); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE instances SET vpc_id = NULL, vswitch_id = NULL, endpoint_ip = '' WHERE id = ?`, inst.ID); err != nil {
			return err
		}
		ch = BindingChange{Instance: inst, WasVpcID: inst.VpcID, WasVSwitchID: inst.VSwitchID}
		ch.VpcID, ch.VSwitchID, ch.EndpointIP = "", "", ""
		return s.logOp(ctx, tx, a, rules.ActionUnbindVpc, inst.ID, strings.TrimSpace(ch.WasVpcID+" "+ch.WasVSwitchID))
	})
	if err != nil {
		return BindingChange{}, fmt.Errorf("store: unbind instance %s: %w", instanceID, err)
	}
	return ch, nil
}
