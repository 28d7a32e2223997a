package store

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

func TestVpcsAndVSwitches(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s

	sh := mustVpc(t, s, w.a, "cn-shanghai", "10.0.0.0/8")
	// CIDR blocks of VPCs may overlap.
	overlap := mustVpc(t, s, w.a, "cn-shanghai", "10.0.0.0/16")
	if op := lastOp(t, s, w.a.AccountID); op.Action != "CreateVpc" || op.Target != overlap.ID {
		t.Fatalf("op log %+v", op)
	}

	all, err := s.ListVpcs(ctx, w.a.AccountID, "")
	if err != nil || len(all) != 4 {
		t.Fatalf("list all: %d %v", len(all), err)
	}
	if all[0].ID != w.vpc.ID || len(all[0].VSwitches) != 2 || len(all[1].VSwitches) != 1 || len(all[2].VSwitches) != 0 {
		t.Fatalf("list all: %+v", all)
	}
	inSh, err := s.ListVpcs(ctx, w.a.AccountID, "cn-shanghai")
	if err != nil || len(inSh) != 2 || inSh[0].ID != sh.ID {
		t.Fatalf("list cn-shanghai: %+v %v", inSh, err)
	}
	got, err := s.GetVpc(ctx, w.a.AccountID, w.vpc.ID)
	if err != nil || got.CIDR != "172.16.0.0/12" || len(got.VSwitches) != 2 || got.VSwitches[0].ID != w.vsw.ID {
		t.Fatalf("get: %+v %v", got, err)
	}
	vsws, err := s.ListVSwitches(ctx, w.a.AccountID, VSwitchQuery{RegionID: "cn-hangzhou"})
	if err != nil || len(vsws) != 3 {
		t.Fatalf("vswitches of cn-hangzhou: %d %v", len(vsws), err)
	}
	vsws, err = s.ListVSwitches(ctx, w.a.AccountID, VSwitchQuery{VpcID: w.vpc.ID, ZoneID: "cn-hangzhou-h"})
	if err != nil || len(vsws) != 1 || vsws[0].ID != w.vsw2.ID {
		t.Fatalf("vswitches of vpc in zone h: %+v %v", vsws, err)
	}

	t.Run("vSwitch overlapping a sibling is refused", func(t *testing.T) {
		// A bad name does not hide the overlap: a form marks both.
		refusedAtOnce(t, s, []string{rules.CodeInvalidVSwitchName, rules.CodeCidrOverlap}, func() error {
			_, err := s.CreateVSwitch(ctx, w.a, rules.VSwitchInput{VpcID: w.vpc.ID, ZoneID: "cn-hangzhou-g", Name: "-dup", CIDR: "172.16.0.0/25"})
			return err
		})
		unchanged(t, s, rules.CodeCidrOverlap, func() error {
			_, err := s.CreateVSwitch(ctx, w.a, rules.VSwitchInput{VpcID: w.vpc.ID, ZoneID: "cn-hangzhou-g", Name: "dup", CIDR: "172.16.0.0/25"})
			return err
		})
	})
	t.Run("vSwitch outside its VPC is refused", func(t *testing.T) {
		unchanged(t, s, rules.CodeVSwitchCidrOutsideVpc, func() error {
			_, err := s.CreateVSwitch(ctx, w.a, rules.VSwitchInput{VpcID: w.vpc.ID, ZoneID: "cn-hangzhou-g", Name: "out", CIDR: "10.9.0.0/24"})
			return err
		})
	})
	t.Run("bad input lists every field", func(t *testing.T) {
		_, err := s.CreateVpc(ctx, w.a, rules.VpcInput{Name: "9lives", RegionID: "mars-1", CIDR: "8.8.8.0/24"})
		var ie *InputError
		if !errors.As(err, &ie) || len(ie.Errs) != 3 {
			t.Fatalf("want 3 field errors, got %v", err)
		}
		var re *rules.Error
		if !errors.As(err, &re) {
			t.Fatal("errors.As finds no *rules.Error in an InputError")
		}
	})
	t.Run("a VPC with vSwitches or a binding is not deleted", func(t *testing.T) {
		unchanged(t, s, rules.CodeVpcInUse, func() error { return s.DeleteVpc(ctx, w.a, w.vpc.ID) })
		unchanged(t, s, rules.CodeVpcInUse, func() error { return s.DeleteVpc(ctx, w.a, w.vpc2.ID) })
		unchanged(t, s, rules.CodeVSwitchInUse, func() error { return s.DeleteVSwitch(ctx, w.a, w.vsw.ID) })
	})
	t.Run("delete", func(t *testing.T) {
		if err := s.DeleteVSwitch(ctx, w.a, w.vsw3.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteVpc(ctx, w.a, w.vpc2.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.GetVpc(ctx, w.a.AccountID, w.vpc2.ID)
		notFound(t, "deleted vpc", err)
		if op := lastOp(t, s, w.a.AccountID); op.Action != "DeleteVpc" || op.Target != w.vpc2.ID {
			t.Fatalf("op log %+v", op)
		}
	})
}

func TestBindChangeAndUnbindVpc(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s

	if !w.bound.Bound() || w.bound.VpcID != w.vpc.ID || w.bound.VSwitchID != w.vsw.ID {
		t.Fatalf("bound instance %+v", w.bound)
	}
	ip := netip.MustParseAddr(w.bound.EndpointIP)
	if !netip.MustParsePrefix(w.vsw.CIDR).Contains(ip) {
		t.Fatalf("endpoint %s outside %s", ip, w.vsw.CIDR)
	}
	ops, _, _ := s.ListOpLog(ctx, w.a.AccountID, OpLogQuery{Action: "BindVpc"})
	if len(ops) != 1 || ops[0].Target != w.bound.ID {
		t.Fatalf("BindVpc op log: %+v", ops)
	}

	// A second instance in the same vSwitch gets another address.
	second, err := s.BindVpc(ctx, w.a, w.unbound.ID, w.vpc.ID, w.vsw.ID)
	if err != nil || second.EndpointIP == w.bound.EndpointIP {
		t.Fatalf("second binding: %+v %v", second, err)
	}
	if _, err := s.UnbindVpc(ctx, w.a, w.unbound.ID); err != nil {
		t.Fatal(err)
	}

	g := mustGroup(t, s, w.a, "billing", "cn-hangzhou", w.bound.ID)
	if _, err := s.EnableVpcDomain(ctx, w.a, g.ID); err != nil {
		t.Fatalf("enable on bound: %v", err)
	}

	t.Run("R7: unbind refused while a group has the VPC domain", func(t *testing.T) {
		unchanged(t, s, rules.CodeInstanceVpcInUse, func() error {
			_, err := s.UnbindVpc(ctx, w.a, w.bound.ID)
			return err
		})
	})
	t.Run("R6: change moves every group at once", func(t *testing.T) {
		changed, err := s.BindVpc(ctx, w.a, w.bound.ID, w.vpc2.ID, w.vsw3.ID)
		if err != nil {
			t.Fatal(err)
		}
		if changed.VpcID != w.vpc2.ID || !netip.MustParsePrefix(w.vsw3.CIDR).Contains(netip.MustParseAddr(changed.EndpointIP)) {
			t.Fatalf("changed %+v", changed)
		}
		if changed.WasVpcID != w.vpc.ID || changed.WasVSwitchID != w.vsw.ID {
			t.Fatalf("the change does not say what it replaced: %+v", changed)
		}
		if op := lastOp(t, s, w.a.AccountID); op.Action != "ChangeVpc" {
			t.Fatalf("op log %+v", op)
		}
		d, err := s.GetGroupDetail(ctx, w.a.AccountID, g.ID)
		if err != nil || d.Vpc == nil || d.Vpc.ID != w.vpc2.ID || d.VSwitch.ID != w.vsw3.ID || d.Instance.EndpointIP != changed.EndpointIP {
			t.Fatalf("group detail after change: %+v %v", d, err)
		}
	})
	t.Run("vSwitch of another VPC is refused", func(t *testing.T) {
		unchanged(t, s, rules.CodeVSwitchNotInVpc, func() error {
			_, err := s.BindVpc(ctx, w.a, w.bound.ID, w.vpc.ID, w.vsw3.ID)
			return err
		})
	})
	t.Run("VPC of another region is refused", func(t *testing.T) {
		sh := mustVpc(t, s, w.a, "cn-shanghai", "10.0.0.0/8")
		shw := mustVSwitch(t, s, w.a, sh, "cn-shanghai-e", "10.1.0.0/24")
		unchanged(t, s, rules.CodeRegionMismatch, func() error {
			_, err := s.BindVpc(ctx, w.a, w.bound.ID, sh.ID, shw.ID)
			return err
		})
	})
	t.Run("shared instances are never bound", func(t *testing.T) {
		unchanged(t, s, rules.CodeSharedInstanceReadOnly, func() error {
			_, err := s.BindVpc(ctx, w.a, w.shared, w.vpc.ID, w.vsw.ID)
			return err
		})
		unchanged(t, s, rules.CodeSharedInstanceReadOnly, func() error {
			return s.DeleteInstance(ctx, w.a, w.shared)
		})
	})
	t.Run("unbind after disabling", func(t *testing.T) {
		if _, err := s.DisableVpcDomain(ctx, w.a, g.ID); err != nil {
			t.Fatal(err)
		}
		un, err := s.UnbindVpc(ctx, w.a, w.bound.ID)
		if err != nil || un.Bound() || un.EndpointIP != "" || un.WasVpcID != w.vpc2.ID || un.WasVSwitchID != w.vsw3.ID {
			t.Fatalf("unbind: %+v %v", un, err)
		}
		unchanged(t, s, rules.CodeInstanceNotBound, func() error {
			_, err := s.UnbindVpc(ctx, w.a, w.bound.ID)
			return err
		})
	})
}

func TestInstances(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s
	mustGroup(t, s, w.a, "on_bound", "cn-hangzhou", w.bound.ID)
	mustGroup(t, s, w.a, "on_shared", "cn-hangzhou", w.shared)
	mustGroup(t, s, w.b, "b_on_shared", "cn-hangzhou", w.shared)

	list, err := s.ListInstances(ctx, w.a.AccountID, "")
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %+v %v", list, err)
	}
	if list[0].ID != w.bound.ID || list[0].Groups != 1 || list[0].Vpc == nil || list[0].Vpc.ID != w.vpc.ID || list[0].VSwitch.ID != w.vsw.ID {
		t.Fatalf("bound row %+v", list[0])
	}
	if list[1].ID != w.unbound.ID || list[1].Vpc != nil || list[1].VSwitch != nil || list[1].Groups != 0 {
		t.Fatalf("unbound row %+v", list[1])
	}
	if l, _ := s.ListInstances(ctx, w.a.AccountID, "cn-shanghai"); len(l) != 0 {
		t.Fatalf("cn-shanghai: %+v", l)
	}
	shared, err := s.ListSharedInstances(ctx, w.a.AccountID, "cn-hangzhou")
	if err != nil || len(shared) != 1 || shared[0].ID != w.shared || shared[0].Groups != 1 {
		t.Fatalf("shared: %+v %v", shared, err)
	}
	if all, _ := s.ListSharedInstances(ctx, w.a.AccountID, ""); len(all) != len(rules.SharedInstances()) {
		t.Fatalf("all shared: %d", len(all))
	}
	got, err := s.GetInstance(ctx, w.a.AccountID, w.bound.ID)
	if err != nil || got.Spec != "api.s1.small" || got.Status != "RUNNING" || got.Type != rules.InstanceDedicated {
		t.Fatalf("get: %+v %v", got, err)
	}

	unchanged(t, s, rules.CodeInstanceInUse, func() error { return s.DeleteInstance(ctx, w.a, w.bound.ID) })
	if err := s.DeleteInstance(ctx, w.a, w.unbound.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetInstance(ctx, w.a.AccountID, w.unbound.ID)
	notFound(t, "deleted instance", err)

	var ie *InputError
	if _, err := s.CreateInstance(ctx, w.a, rules.InstanceInput{Name: "x", RegionID: "cn-hangzhou", ZoneID: "cn-shanghai-e", Spec: "huge", HTTPSPolicy: "TLS9"}); !errors.As(err, &ie) || len(ie.Errs) < 3 {
		t.Fatalf("bad instance input: %v", err)
	}
}

func TestGroups(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s

	g := mustGroup(t, s, w.a, "orders_api", "cn-hangzhou", w.shared)
	if !rules.IsGroupID(g.ID) || g.RegionID != "cn-hangzhou" || g.CreatedAt.IsZero() || g.VpcDomainEnabled {
		t.Fatalf("created %+v", g)
	}
	if op := lastOp(t, s, w.a.AccountID); op.Action != "CreateApiGroup" || op.Target != g.ID || op.Actor != w.a.Name {
		t.Fatalf("op log %+v", op)
	}

	t.Run("R1: name unique per account and region", func(t *testing.T) {
		unchanged(t, s, rules.CodeDuplicateGroupName, func() error {
			_, err := s.CreateGroup(ctx, w.a, rules.GroupInput{Name: "orders_api", RegionID: "cn-hangzhou", InstanceID: w.bound.ID})
			return err
		})
		mustGroup(t, s, w.a, "orders_api", "cn-shanghai", sharedIn(t, "cn-shanghai"))
		mustGroup(t, s, w.b, "orders_api", "cn-hangzhou", w.shared)
	})
	t.Run("the unique index backs the check", func(t *testing.T) {
		_, err := s.w.Exec(`INSERT INTO api_groups (id, account_id, region_id, instance_id, name, created_at, modified_at)
			VALUES ('x', ?, 'cn-hangzhou', ?, 'orders_api', 0, 0)`, w.a.AccountID, w.shared)
		if !isUniqueViolation(err) {
			t.Fatalf("duplicate insert: %v", err)
		}
	})
	t.Run("placement", func(t *testing.T) {
		unchanged(t, s, rules.CodeRegionMismatch, func() error {
			_, err := s.CreateGroup(ctx, w.a, rules.GroupInput{Name: "wrong_region", RegionID: "cn-shanghai", InstanceID: w.shared})
			return err
		})
		unchanged(t, s, rules.CodeInstanceNotFound, func() error {
			_, err := s.CreateGroup(ctx, w.b, rules.GroupInput{Name: "stolen", RegionID: "cn-hangzhou", InstanceID: w.bound.ID})
			return err
		})
	})
	// A form marks every bad field at once: a malformed name does not hide
	// the instance's refusal, nor a refused instance a taken name; the
	// first refusal, the field's own, decides the code.
	t.Run("every field's refusal at once", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			in   rules.GroupInput
			a    Actor
			want []string // codes, first decides
		}{
			{"bad name, instance of another region", rules.GroupInput{Name: "9lives", RegionID: "cn-shanghai", InstanceID: w.shared}, w.a,
				[]string{rules.CodeInvalidGroupName, rules.CodeRegionMismatch}},
			{"bad name, another account's instance", rules.GroupInput{Name: "9lives", RegionID: "cn-hangzhou", InstanceID: w.bound.ID}, w.b,
				[]string{rules.CodeInvalidGroupName, rules.CodeInstanceNotFound}},
			{"bad description, name taken", rules.GroupInput{Name: "orders_api", Description: strings.Repeat("d", 181), RegionID: "cn-hangzhou", InstanceID: w.shared}, w.a,
				[]string{rules.CodeInvalidDescription, rules.CodeDuplicateGroupName}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				refusedAtOnce(t, s, tt.want, func() error {
					_, err := s.CreateGroup(ctx, tt.a, tt.in)
					return err
				})
			})
		}
	})
	t.Run("modify", func(t *testing.T) {
		s.now = func() time.Time { return time.Now().Add(time.Minute) }
		defer func() { s.now = time.Now }()
		name, desc := "orders_v2", "Orders, second edition"
		m, err := s.ModifyGroup(ctx, w.a, g.ID, GroupChange{Name: &name, Description: &desc})
		if err != nil || m.Name != name || m.Description != desc || !m.ModifiedAt.After(g.ModifiedAt) || !m.CreatedAt.Equal(g.CreatedAt) {
			t.Fatalf("modify: %+v %v", m, err)
		}
		desc2 := "only the description"
		m2, err := s.ModifyGroup(ctx, w.a, g.ID, GroupChange{Description: &desc2})
		if err != nil || m2.Name != name || m2.Description != desc2 {
			t.Fatalf("modify description: %+v %v", m2, err)
		}
		other := mustGroup(t, s, w.a, "other_api", "cn-hangzhou", w.shared)
		unchanged(t, s, rules.CodeDuplicateGroupName, func() error {
			_, err := s.ModifyGroup(ctx, w.a, other.ID, GroupChange{Name: &name})
			return err
		})
		bad := "9starts_with_digit"
		unchanged(t, s, rules.CodeInvalidGroupName, func() error {
			_, err := s.ModifyGroup(ctx, w.a, other.ID, GroupChange{Name: &bad})
			return err
		})
		long := strings.Repeat("d", 181)
		refusedAtOnce(t, s, []string{rules.CodeInvalidDescription, rules.CodeDuplicateGroupName}, func() error {
			_, err := s.ModifyGroup(ctx, w.a, other.ID, GroupChange{Name: &name, Description: &long})
			return err
		})
	})
	t.Run("R5 and R2: VPC domain", func(t *testing.T) {
		onUnbound := mustGroup(t, s, w.a, "staging_api", "cn-hangzhou", w.unbound.ID)
		unchanged(t, s, rules.CodeInstanceNotBoundToVpc, func() error {
			_, err := s.EnableVpcDomain(ctx, w.a, onUnbound.ID)
			return err
		})
		en, err := s.EnableVpcDomain(ctx, w.a, g.ID)
		if err != nil || !en.VpcDomainEnabled {
			t.Fatalf("enable on shared: %+v %v", en, err)
		}
		if again, err := s.EnableVpcDomain(ctx, w.a, g.ID); err != nil || !again.VpcDomainEnabled {
			t.Fatalf("enable again: %v", err)
		}
		dis, err := s.DisableVpcDomain(ctx, w.a, g.ID)
		if err != nil || dis.VpcDomainEnabled {
			t.Fatalf("disable: %+v %v", dis, err)
		}
		unchanged(t, s, rules.CodeVpcDomainNotEnabled, func() error {
			_, err := s.DisableVpcDomain(ctx, w.a, g.ID)
			return err
		})
	})
	t.Run("R8: move", func(t *testing.T) {
		mv := mustGroup(t, s, w.a, "mover_api", "cn-hangzhou", w.shared)
		if _, err := s.EnableVpcDomain(ctx, w.a, mv.ID); err != nil {
			t.Fatal(err)
		}
		unchanged(t, s, rules.CodeInstanceNotBoundToVpc, func() error {
			_, err := s.MoveGroup(ctx, w.a, mv.ID, w.unbound.ID)
			return err
		})
		unchanged(t, s, rules.CodeRegionMismatch, func() error {
			_, err := s.MoveGroup(ctx, w.a, mv.ID, sharedIn(t, "cn-shanghai"))
			return err
		})
		bInst := mustInstance(t, s, w.b, "cn-hangzhou", "cn-hangzhou-g")
		unchanged(t, s, rules.CodeInstanceNotFound, func() error {
			_, err := s.MoveGroup(ctx, w.a, mv.ID, bInst.ID)
			return err
		})
		moved, err := s.MoveGroup(ctx, w.a, mv.ID, w.bound.ID)
		if err != nil || moved.InstanceID != w.bound.ID || !moved.VpcDomainEnabled {
			t.Fatalf("move: %+v %v", moved, err)
		}
		on, err := s.ListGroupsOnInstance(ctx, w.a.AccountID, w.bound.ID)
		if err != nil || len(on) != 1 || on[0].ID != mv.ID {
			t.Fatalf("groups on bound: %+v %v", on, err)
		}
		if op := lastOp(t, s, w.a.AccountID); op.Action != "MoveGroup" || !strings.Contains(op.Detail, w.bound.ID) {
			t.Fatalf("op log %+v", op)
		}
	})
	t.Run("delete removes the group's domains and keeps counts", func(t *testing.T) {
		del := mustGroup(t, s, w.a, "doomed_api", "cn-hangzhou", w.shared)
		if _, err := s.BindDomain(ctx, w.a, del.ID, rules.DomainInput{Name: "doomed.example.com", NetworkType: rules.NetworkInternet}); err != nil {
			t.Fatal(err)
		}
		before := count(t, s, `SELECT n FROM group_counts WHERE account_id = ? AND region_id = 'cn-hangzhou'`, w.a.AccountID)
		if err := s.DeleteGroup(ctx, w.a, del.ID); err != nil {
			t.Fatal(err)
		}
		after := count(t, s, `SELECT n FROM group_counts WHERE account_id = ? AND region_id = 'cn-hangzhou'`, w.a.AccountID)
		if after != before-1 {
			t.Fatalf("count %d → %d", before, after)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM custom_domains WHERE name = 'doomed.example.com'`); n != 0 {
			t.Fatal("domain left behind")
		}
		_, err := s.GetGroup(ctx, w.a.AccountID, del.ID)
		notFound(t, "deleted group", err)
		notFound(t, "delete again", s.DeleteGroup(ctx, w.a, del.ID))
	})
	assertCountsMatch(t, s)
}

// assertCountsMatch checks group_counts against the groups themselves.
func assertCountsMatch(t testing.TB, s *Store) {
	t.Helper()
	rows, err := s.w.Query(`SELECT g.account_id, g.region_id, g.n, COALESCE(c.n, -1) FROM
		(SELECT account_id, region_id, COUNT(*) AS n FROM api_groups GROUP BY 1, 2) g
		LEFT JOIN group_counts c USING (account_id, region_id) WHERE g.n <> COALESCE(c.n, -1)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var acct, region string
		var real, counted int
		rows.Scan(&acct, &region, &real, &counted)
		t.Errorf("group_counts %s/%s = %d, real %d", acct, region, counted, real)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM group_counts c WHERE c.n <> (SELECT COUNT(*) FROM api_groups g
		WHERE g.account_id = c.account_id AND g.region_id = c.region_id)`); n != 0 {
		t.Errorf("%d stale group_counts rows", n)
	}
}

func TestGroupDetail(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s
	g := mustGroup(t, s, w.a, "billing", "cn-hangzhou", w.bound.ID)
	if _, err := s.EnableVpcDomain(ctx, w.a, g.ID); err != nil {
		t.Fatal(err)
	}
	for _, d := range []rules.DomainInput{
		{Name: "b.example.com", NetworkType: rules.NetworkInternet},
		{Name: "A.Example.com.", NetworkType: rules.NetworkInternet},
		{Name: "intra.example.com", NetworkType: rules.NetworkIntranet},
	} {
		if _, err := s.BindDomain(ctx, w.a, g.ID, d); err != nil {
			t.Fatalf("bind %s: %v", d.Name, err)
		}
	}
	d, err := s.GetGroupDetail(ctx, w.a.AccountID, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != g.ID || !d.VpcDomainEnabled || d.Instance.ID != w.bound.ID || d.Vpc == nil || d.Vpc.ID != w.vpc.ID || d.VSwitch == nil || d.VSwitch.ID != w.vsw.ID {
		t.Fatalf("detail %+v", d)
	}
	var names []string
	for _, dom := range d.Domains {
		names = append(names, dom.Name)
	}
	if strings.Join(names, ",") != "a.example.com,b.example.com,intra.example.com" {
		t.Fatalf("domains %v", names)
	}
	sg := mustGroup(t, s, w.a, "on_shared", "cn-hangzhou", w.shared)
	ds, err := s.GetGroupDetail(ctx, w.a.AccountID, sg.ID)
	if err != nil || ds.Vpc != nil || ds.VSwitch != nil || ds.Instance.Type != rules.InstanceShared || len(ds.Domains) != 0 {
		t.Fatalf("shared detail %+v %v", ds, err)
	}
}

func TestDomains(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s
	shared := mustGroup(t, s, w.a, "public_api", "cn-hangzhou", w.shared)
	ded := mustGroup(t, s, w.a, "private_api", "cn-hangzhou", w.bound.ID)
	other := mustGroup(t, s, w.a, "other_api", "cn-hangzhou", w.bound.ID)
	bGroup := mustGroup(t, s, w.b, "rival_api", "cn-hangzhou", w.shared)

	d, err := s.BindDomain(ctx, w.a, shared.ID, rules.DomainInput{Name: " API.Example.COM ", NetworkType: rules.NetworkInternet})
	if err != nil || d.Name != "api.example.com" || d.GroupID != shared.ID || d.AccountID != w.a.AccountID {
		t.Fatalf("bind: %+v %v", d, err)
	}
	if op := lastOp(t, s, w.a.AccountID); op.Action != "BindDomain" || op.Target != "api.example.com" {
		t.Fatalf("op log %+v", op)
	}

	t.Run("R9: INTRANET needs a dedicated instance with the VPC domain", func(t *testing.T) {
		unchanged(t, s, rules.CodeIntranetNotSupported, func() error {
			_, err := s.BindDomain(ctx, w.a, shared.ID, rules.DomainInput{Name: "in.example.com", NetworkType: rules.NetworkIntranet})
			return err
		})
		unchanged(t, s, rules.CodeIntranetNotSupported, func() error {
			_, err := s.BindDomain(ctx, w.a, ded.ID, rules.DomainInput{Name: "in.example.com", NetworkType: rules.NetworkIntranet})
			return err
		})
		if _, err := s.EnableVpcDomain(ctx, w.a, ded.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.BindDomain(ctx, w.a, ded.ID, rules.DomainInput{Name: "in.example.com", NetworkType: rules.NetworkIntranet}); err != nil {
			t.Fatal(err)
		}
		// R9 again: the VPC domain cannot go while INTRANET domains point at it.
		unchanged(t, s, rules.CodeVpcDomainInUse, func() error {
			_, err := s.DisableVpcDomain(ctx, w.a, ded.ID)
			return err
		})
		// and the group cannot move to a shared instance.
		unchanged(t, s, rules.CodeIntranetNotSupported, func() error {
			_, err := s.MoveGroup(ctx, w.a, ded.ID, w.shared)
			return err
		})
	})
	t.Run("a name bound elsewhere moves only when forced", func(t *testing.T) {
		unchanged(t, s, rules.CodeDomainAlreadyBound, func() error {
			_, err := s.BindDomain(ctx, w.a, other.ID, rules.DomainInput{Name: "api.example.com", NetworkType: rules.NetworkInternet})
			return err
		})
		moved, err := s.BindDomain(ctx, w.a, other.ID, rules.DomainInput{Name: "api.example.com", NetworkType: rules.NetworkInternet, Force: true})
		if err != nil || moved.GroupID != other.ID {
			t.Fatalf("forced move: %+v %v", moved, err)
		}
		if op := lastOp(t, s, w.a.AccountID); !strings.Contains(op.Detail, "moved from group "+shared.ID) {
			t.Fatalf("op log %+v", op)
		}
	})
	t.Run("another account's name is refused without its details", func(t *testing.T) {
		for _, force := range []bool{false, true} {
			var err error
			unchanged(t, s, rules.CodeDomainAlreadyBound, func() error {
				_, err = s.BindDomain(ctx, w.b, bGroup.ID, rules.DomainInput{Name: "api.example.com", NetworkType: rules.NetworkInternet, Force: force})
				return err
			})
			if strings.Contains(err.Error(), other.ID) || strings.Contains(err.Error(), w.a.AccountID) {
				t.Fatalf("refusal reveals account A: %v", err)
			}
		}
		_, err := s.GetDomain(ctx, w.b.AccountID, "api.example.com")
		notFound(t, "another account's domain", err)
		removed, err := s.UnbindDomain(ctx, w.b, bGroup.ID, "api.example.com")
		if err != nil || removed {
			t.Fatalf("B unbinds A's domain: %v %v", removed, err)
		}
		if _, err := s.GetDomain(ctx, w.a.AccountID, "api.example.com"); err != nil {
			t.Fatalf("A's domain after B's attempt: %v", err)
		}
	})
	t.Run("certificate", func(t *testing.T) {
		now := time.Now()
		cert, key := selfSigned(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "secure.example.com")
		d, err := s.BindDomain(ctx, w.a, shared.ID, rules.DomainInput{Name: "secure.example.com", NetworkType: rules.NetworkInternet,
			CertName: "secure-2025", CertPEM: cert, KeyPEM: key})
		if err != nil || d.CertName != "secure-2025" || d.CertPEM != cert || d.CertExpires.IsZero() {
			t.Fatalf("bind with certificate: %+v %v", d, err)
		}
		got, err := s.GetDomain(ctx, w.a.AccountID, "secure.example.com")
		if err != nil || !got.CertExpires.Equal(d.CertExpires) || got.CertPEM != cert {
			t.Fatalf("read back: %+v %v", got, err)
		}
		var sealed []byte
		if err := s.w.QueryRow(`SELECT key_sealed FROM custom_domains WHERE name = 'secure.example.com'`).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if plain, err := s.unseal(sealed, domainKeyAAD("secure.example.com")); err != nil || string(plain) != key {
			t.Fatalf("sealed key: %v", err)
		}
		// Rebinding without a certificate keeps it.
		again, err := s.BindDomain(ctx, w.a, shared.ID, rules.DomainInput{Name: "secure.example.com", NetworkType: rules.NetworkInternet})
		if err != nil || again.CertPEM != cert {
			t.Fatalf("rebind: %+v %v", again, err)
		}
		wrongCert, wrongKey := selfSigned(t, now.Add(-time.Hour), now.Add(time.Hour), "other.example.org")
		_, err = s.BindDomain(ctx, w.a, shared.ID, rules.DomainInput{Name: "wrong.example.com", NetworkType: rules.NetworkInternet, CertPEM: wrongCert, KeyPEM: wrongKey})
		var ie *InputError
		if !errors.As(err, &ie) || !rules.HasCode(err, rules.CodeCertificateNameMismatch) {
			t.Fatalf("certificate for another name: %v", err)
		}
	})
	t.Run("at most 5 of a type", func(t *testing.T) {
		g := mustGroup(t, s, w.a, "many_api", "cn-hangzhou", w.shared)
		for _, n := range []string{"d1", "d2", "d3", "d4", "d5"} {
			if _, err := s.BindDomain(ctx, w.a, g.ID, rules.DomainInput{Name: n + ".example.net", NetworkType: rules.NetworkInternet}); err != nil {
				t.Fatal(err)
			}
		}
		unchanged(t, s, rules.CodeDomainLimitExceeded, func() error {
			_, err := s.BindDomain(ctx, w.a, g.ID, rules.DomainInput{Name: "d6.example.net", NetworkType: rules.NetworkInternet})
			return err
		})
	})
	t.Run("unbind is idempotent", func(t *testing.T) {
		removed, err := s.UnbindDomain(ctx, w.a, other.ID, "API.example.com")
		if err != nil || !removed {
			t.Fatalf("unbind: %v %v", removed, err)
		}
		removed, err = s.UnbindDomain(ctx, w.a, other.ID, "api.example.com")
		if err != nil || removed {
			t.Fatalf("unbind again: %v %v", removed, err)
		}
		_, err = s.UnbindDomain(ctx, w.b, other.ID, "api.example.com")
		notFound(t, "unbind on another account's group", err)
	})
}

func TestResolveTarget(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s
	g := mustGroup(t, s, w.a, "billing", "cn-hangzhou", w.bound.ID)
	if _, err := s.BindDomain(ctx, w.a, g.ID, rules.DomainInput{Name: "pay.example.com", NetworkType: rules.NetworkInternet}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		account   string
		kind      rules.DomainKind
		wantGroup bool
	}{
		{g.PublicDomain(), w.a.AccountID, rules.DomainPublic, true},
		{strings.ToUpper(g.VpcDomain()) + ".", w.a.AccountID, rules.DomainVpc, true},
		{"pay.example.com", w.a.AccountID, rules.DomainCustom, true},
		{rules.PublicDomain(g.ID, "cn-shanghai"), w.a.AccountID, rules.DomainPublic, false},
		{g.PublicDomain(), w.b.AccountID, rules.DomainPublic, true}, // names are the network's: account B resolves A's too
		{"pay.example.com", w.b.AccountID, rules.DomainCustom, true},
		{"nothing.example.com", w.a.AccountID, rules.DomainCustom, false},
		{"not a name", w.a.AccountID, rules.DomainUnknown, false},
	}
	for _, c := range cases {
		tg, err := s.ResolveTarget(ctx, c.name)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if tg.Kind != c.kind || (tg.Group != nil) != c.wantGroup {
			t.Errorf("%s for %s: kind %s, group %v", c.name, c.account, tg.Kind, tg.Group)
			continue
		}
		if c.wantGroup && (tg.Group.ID != g.ID || tg.Instance == nil || tg.Instance.ID != w.bound.ID) {
			t.Errorf("%s: target %+v", c.name, tg)
		}
		if c.kind == rules.DomainCustom && c.wantGroup && (tg.Custom == nil || tg.Custom.GroupID != g.ID) {
			t.Errorf("%s: custom %+v", c.name, tg.Custom)
		}
	}
}

// TestTenantIsolation: account B reads and changes nothing of account A's;
// each attempt answers not found, as for an absent id, and changes nothing.
func TestTenantIsolation(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s
	g := mustGroup(t, s, w.a, "secret_api", "cn-hangzhou", w.bound.ID)
	if _, err := s.BindDomain(ctx, w.a, g.ID, rules.DomainInput{Name: "secret.example.com", NetworkType: rules.NetworkInternet}); err != nil {
		t.Fatal(err)
	}
	bVpc := mustVpc(t, s, w.b, "cn-hangzhou", "10.0.0.0/8")
	bVsw := mustVSwitch(t, s, w.b, bVpc, "cn-hangzhou-g", "10.0.0.0/24")
	bInst := mustInstance(t, s, w.b, "cn-hangzhou", "cn-hangzhou-g")
	b := w.b
	name := "stolen"

	attempts := map[string]func() error{
		"get vpc":        func() error { _, err := s.GetVpc(ctx, b.AccountID, w.vpc.ID); return err },
		"get vswitch":    func() error { _, err := s.GetVSwitch(ctx, b.AccountID, w.vsw.ID); return err },
		"list vswitches": func() error { _, err := s.ListVSwitches(ctx, b.AccountID, VSwitchQuery{VpcID: w.vpc.ID}); return err },
		"delete vpc":     func() error { return s.DeleteVpc(ctx, b, w.vpc2.ID) },
		"delete vswitch": func() error { return s.DeleteVSwitch(ctx, b, w.vsw3.ID) },
		"create vswitch": func() error {
			_, err := s.CreateVSwitch(ctx, b, rules.VSwitchInput{VpcID: w.vpc.ID, ZoneID: "cn-hangzhou-i", Name: "x", CIDR: "172.16.9.0/24"})
			return err
		},
		"get instance":    func() error { _, err := s.GetInstance(ctx, b.AccountID, w.bound.ID); return err },
		"delete instance": func() error { return s.DeleteInstance(ctx, b, w.unbound.ID) },
		"bind instance":   func() error { _, err := s.BindVpc(ctx, b, w.unbound.ID, bVpc.ID, bVsw.ID); return err },
		"bind to A's vpc": func() error { _, err := s.BindVpc(ctx, b, bInst.ID, w.vpc.ID, w.vsw.ID); return err },
		"bind to A's vsw": func() error { _, err := s.BindVpc(ctx, b, bInst.ID, bVpc.ID, w.vsw.ID); return err },
		"unbind instance": func() error { _, err := s.UnbindVpc(ctx, b, w.bound.ID); return err },
		"groups on inst":  func() error { _, err := s.ListGroupsOnInstance(ctx, b.AccountID, w.bound.ID); return err },
		"get group":       func() error { _, err := s.GetGroupDetail(ctx, b.AccountID, g.ID); return err },
		"modify group":    func() error { _, err := s.ModifyGroup(ctx, b, g.ID, GroupChange{Name: &name}); return err },
		"delete group":    func() error { return s.DeleteGroup(ctx, b, g.ID) },
		"enable vpc dom":  func() error { _, err := s.EnableVpcDomain(ctx, b, g.ID); return err },
		"disable vpc dom": func() error { _, err := s.DisableVpcDomain(ctx, b, g.ID); return err },
		"move group":      func() error { _, err := s.MoveGroup(ctx, b, g.ID, w.shared); return err },
		"group onto A's": func() error {
			_, err := s.CreateGroup(ctx, b, rules.GroupInput{Name: "sneaky", RegionID: "cn-hangzhou", InstanceID: w.bound.ID})
			return err
		},
		"bind domain": func() error {
			_, err := s.BindDomain(ctx, b, g.ID, rules.DomainInput{Name: "x.example.com", NetworkType: rules.NetworkInternet})
			return err
		},
		"unbind domain": func() error { _, err := s.UnbindDomain(ctx, b, g.ID, "secret.example.com"); return err },
		"get domain":    func() error { _, err := s.GetDomain(ctx, b.AccountID, "secret.example.com"); return err },
	}
	for what, fn := range attempts {
		before := dump(t, s)
		notFound(t, what, fn())
		if dump(t, s) != before {
			t.Fatalf("%s changed the database", what)
		}
	}
	if page, err := s.ListGroups(ctx, b.AccountID, GroupQuery{}); err != nil || page.Total != 0 || len(page.Items) != 0 {
		t.Fatalf("B lists groups: %+v %v", page, err)
	}
	if l, _ := s.ListVpcs(ctx, b.AccountID, ""); len(l) != 1 {
		t.Fatalf("B lists %d VPCs", len(l))
	}
	if l, _ := s.ListInstances(ctx, b.AccountID, ""); len(l) != 1 {
		t.Fatalf("B lists %d instances", len(l))
	}
	if ops, _, _ := s.ListOpLog(ctx, b.AccountID, OpLogQuery{Target: g.ID}); len(ops) != 0 {
		t.Fatalf("B reads A's op log: %+v", ops)
	}
}

// RegionInstances: the region's shared instances first, then the
// account's own dedicated ones, oldest first; none of another account's,
// none of another region's.
func TestRegionInstances(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	mustInstance(t, w.s, w.b, "cn-hangzhou", "cn-hangzhou-g") // another account's
	mustInstance(t, w.s, w.a, "cn-shanghai", "cn-shanghai-e") // another region's
	got, err := w.s.RegionInstances(ctx, w.a.AccountID, "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range got {
		ids = append(ids, in.ID)
	}
	shared, err := w.s.ListSharedInstances(ctx, w.a.AccountID, "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, in := range shared {
		want = append(want, in.ID)
	}
	want = append(want, w.bound.ID, w.unbound.ID)
	if !slices.Equal(ids, want) {
		t.Errorf("instances of cn-hangzhou: %v, want %v", ids, want)
	}
	if got[len(got)-2].VpcID != w.vpc.ID {
		t.Errorf("the bound instance reads VPC %q, want %q", got[len(got)-2].VpcID, w.vpc.ID)
	}
}
