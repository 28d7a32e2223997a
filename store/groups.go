package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gatehouse/rules"
)

// GroupRow is a line of the group list: the group and what the list shows
// of its instance.
type GroupRow struct {
	rules.Group
	InstanceType rules.InstanceType
	InstanceName string
}

// GroupDetail is a group with its instance, the instance's VPC binding
// (nil when unbound or shared) and the group's custom domains.
type GroupDetail struct {
	rules.Group
	Instance rules.Instance
	Vpc      *rules.VPC
	VSwitch  *rules.VSwitch
	Domains  []rules.CustomDomain // by network type, then name
}

// GroupChange is what ModifyGroup changes; a nil field keeps its value.
type GroupChange struct {
	Name        *string
	Description *string
}

// GroupQuery selects a page of an account's groups.
//
// Two ways to page:
//   - keyset (the console): After or Before is a cursor from a previous
//     GroupPage (Next or Prev); no OFFSET, so every page costs the same at
//     any depth;
//   - page numbers (the OpenAPI's PageNumber/PageSize): PageNumber ≥ 1 uses
//     LIMIT/OFFSET, whose cost grows with the page number; acceptable for
//     PageSize ≤ 50 and the page depths automation asks for.
type GroupQuery struct {
	RegionID   string // "" = every region
	InstanceID string // "" = every instance
	Keyword    string // a substring of the name, every letter's case folded (rules.NameContains)
	OrderBy    string // "created" (default) or "modified"
	Sort       string // "desc" (default, newest first) or "asc"
	Limit      int    // page size: default 20, at most MaxGroupPageSize
	After      string // cursor: the page after this one
	Before     string // cursor: the page before this one
	PageNumber int    // ≥ 1: OFFSET paging instead of cursors
}

// GroupPage is one page of groups. Total counts every group matching the
// filters (not only this page). Next and Prev are cursors for GroupQuery
// After and Before, empty when there is no such page (always empty with
// PageNumber paging).
type GroupPage struct {
	Items []GroupRow
	Total int
	Next  string
	Prev  string
}

// Group page sizes.
const (
	DefaultGroupPageSize = 20
	MaxGroupPageSize     = 100
)

func invalidParam(field, msg string) error {
	return &InputError{Errs: []*rules.Error{{Kind: rules.KindInvalid, Code: rules.CodeInvalidID, Field: field, Message: msg}}}
}

// queryGroups runs a group query built from where (on alias g) and args.
func queryGroups(ctx context.Context, q querier, where string, args ...any) ([]rules.Group, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+groupCols+` FROM api_groups g `+where+` ORDER BY g.created_at, g.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rules.Group
	for rows.Next() {
		var g rules.Group
		if err := rows.Scan(groupDest(&g)...); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// getGroupDetail reads a group of the account with its instance and the
// instance's binding in one query (domains not included).
func getGroupDetail(ctx context.Context, q querier, accountID, id string) (GroupDetail, error) {
	var d GroupDetail
	var v rules.VPC
	var w rules.VSwitch
	err := q.QueryRowContext(ctx, `SELECT `+groupCols+`, `+instanceCols+`, `+vpcCols+`, `+vswitchCols+`
		FROM api_groups g
		JOIN instances i ON i.id = g.instance_id
		LEFT JOIN vpcs v ON v.id = i.vpc_id
		LEFT JOIN vswitches w ON w.id = i.vswitch_id
		WHERE g.id = CAST(? AS TEXT) AND g.account_id = CAST(? AS TEXT)`, id, accountID).
		Scan(dest(groupDest(&d.Group), instanceDest(&d.Instance), vpcDest(&v), vswitchDest(&w))...)
	if errors.Is(err, sql.ErrNoRows) {
		return GroupDetail{}, rules.GroupNotFound(id)
	}
	if err != nil {
		return GroupDetail{}, err
	}
	d.Vpc, d.VSwitch = optional(v, v.ID), optional(w, w.ID)
	return d, nil
}

// GetGroupDetail returns a group of the account with its instance, VPC
// binding and domains: two queries in one snapshot.
func (s *Store) GetGroupDetail(ctx context.Context, accountID, id string) (GroupDetail, error) {
	var d GroupDetail
	err := s.read(ctx, func(tx querier) error {
		var err error
		if d, err = getGroupDetail(ctx, tx, accountID, id); err != nil {
			return err
		}
		d.Domains, err = groupDomains(ctx, tx, id)
		return err
	})
	if err != nil {
		return GroupDetail{}, fmt.Errorf("store: group %s: %w", id, err)
	}
	return d, nil
}

// GetGroup returns a group of the account.
func (s *Store) GetGroup(ctx context.Context, accountID, id string) (rules.Group, error) {
	gs, err := queryGroups(ctx, s.rq, `WHERE g.id = CAST(? AS TEXT) AND g.account_id = CAST(? AS TEXT)`, id, accountID)
	if err != nil {
		return rules.Group{}, fmt.Errorf("store: group %s: %w", id, err)
	}
	if len(gs) == 0 {
		return rules.Group{}, fmt.Errorf("store: group %s: %w", id, rules.GroupNotFound(id))
	}
	return gs[0], nil
}

// CreateGroup creates a group of the actor's account on a shared instance
// or one of its dedicated instances (rules.CheckGroupPlacement). A name
// already used in the account's region is refused (R1,
// rules.DuplicateGroupName), checked in the transaction with a UNIQUE
// index as the backstop.
func (s *Store) CreateGroup(ctx context.Context, a Actor, in rules.GroupInput) (rules.Group, error) {
	var g rules.Group
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		g, err = s.createGroup(ctx, tx, a, in)
		return err
	})
	if err != nil {
		return rules.Group{}, fmt.Errorf("store: create group %q: %w", in.Name, err)
	}
	return g, nil
}

func (s *Store) createGroup(ctx context.Context, tx *sql.Tx, a Actor, in rules.GroupInput) (rules.Group, error) {
	in = in.Normalize()
	inst, err := groupPlacement(ctx, tx, a.AccountID, in)
	if err != nil {
		return rules.Group{}, err
	}
	now := s.now().UTC()
	g := rules.Group{ID: rules.NewGroupID(), AccountID: a.AccountID, RegionID: inst.RegionID, InstanceID: inst.ID,
		Name: in.Name, Description: in.Description, CreatedAt: now, ModifiedAt: now}
	_, err = tx.ExecContext(ctx, `INSERT INTO api_groups
		(id, account_id, region_id, instance_id, name, name_folded, description, vpc_domain_enabled, created_at, modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
		g.ID, g.AccountID, g.RegionID, g.InstanceID, g.Name, rules.FoldName(g.Name), g.Description, unixNano(now), unixNano(now))
	if isUniqueViolation(err) {
		return rules.Group{}, rules.DuplicateGroupName(in.Name, inst.RegionID)
	}
	if err != nil {
		return rules.Group{}, err
	}
	return g, s.logOp(ctx, tx, a, rules.ActionCreateApiGroup, g.ID, fmt.Sprintf("%s on %s", g.Name, g.InstanceID))
}

// groupPlacement checks a new group's fields and returns the instance it
// goes on. Every field's refusal comes at once (checkAlso): a malformed
// name does not hide that the instance chosen is in another region or is
// not the account's, nor a bad description that the name is taken.
func groupPlacement(ctx context.Context, tx *sql.Tx, accountID string, in rules.GroupInput) (rules.Instance, error) {
	var inst rules.Instance
	errs, err := checkAlso(in.Validate(), []string{rules.FieldRegion, rules.FieldInstance}, func() error {
		var err error
		if inst, err = getInstance(ctx, tx, accountID, in.InstanceID); err != nil {
			return err
		}
		return rules.CheckGroupPlacement(in, inst, accountID)
	})
	if err != nil {
		return rules.Instance{}, err
	}
	// The region is the instance's: known once the instance is accepted.
	errs, err = checkAlso(errs, []string{rules.FieldRegion, rules.FieldInstance, rules.FieldName}, func() error {
		return checkGroupNameFree(ctx, tx, accountID, inst.RegionID, in.Name, "")
	})
	if err != nil {
		return rules.Instance{}, err
	}
	return inst, inputError(errs)
}

// checkGroupNameFree refuses a name another group (not exceptID) of the
// account already uses in the region.
func checkGroupNameFree(ctx context.Context, tx *sql.Tx, accountID, regionID, name, exceptID string) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_groups WHERE account_id = ? AND region_id = ? AND name = ? AND id <> ?`,
		accountID, regionID, name, exceptID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return rules.DuplicateGroupName(name, regionID)
	}
	return nil
}

// ModifyGroup changes a group's name and/or description.
func (s *Store) ModifyGroup(ctx context.Context, a Actor, id string, ch GroupChange) (rules.Group, error) {
	var g rules.Group
	err := s.write(ctx, func(tx *sql.Tx) error {
		d, err := getGroupDetail(ctx, tx, a.AccountID, id)
		if err != nil {
			return err
		}
		g = d.Group
		in := rules.GroupInput{Name: g.Name, Description: g.Description, RegionID: g.RegionID, InstanceID: g.InstanceID}
		if ch.Name != nil {
			in.Name = *ch.Name
		}
		if ch.Description != nil {
			in.Description = *ch.Description
		}
		in = in.Normalize()
		errs, err := checkAlso(in.Validate(), []string{rules.FieldName}, func() error {
			if in.Name == g.Name {
				return nil
			}
			return checkGroupNameFree(ctx, tx, a.AccountID, g.RegionID, in.Name, g.ID)
		})
		if err != nil {
			return err
		}
		if err := inputError(errs); err != nil {
			return err
		}
		g.Name, g.Description, g.ModifiedAt = in.Name, in.Description, s.now().UTC()
		_, err = tx.ExecContext(ctx, `UPDATE api_groups SET name = ?, name_folded = ?, description = ?, modified_at = ? WHERE id = ?`,
			g.Name, rules.FoldName(g.Name), g.Description, unixNano(g.ModifiedAt), g.ID)
		if isUniqueViolation(err) {
			return rules.DuplicateGroupName(in.Name, g.RegionID)
		}
		if err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionModifyApiGroup, g.ID, g.Name)
	})
	if err != nil {
		return rules.Group{}, fmt.Errorf("store: modify group %s: %w", id, err)
	}
	return g, nil
}

// DeleteGroup deletes a group of the actor's account and its custom
// domains; refused while it holds APIs (rules.CheckDeleteGroup).
func (s *Store) DeleteGroup(ctx context.Context, a Actor, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		d, err := getGroupDetail(ctx, tx, a.AccountID, id)
		if err != nil {
			return err
		}
		if err := checkGroupHasNoAPIs(ctx, tx, d.Group); err != nil {
			return err
		}
		domains, err := groupDomains(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM custom_domains WHERE group_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM api_groups WHERE id = ?`, id); err != nil {
			return err
		}
		detail := d.Name
		if len(domains) > 0 {
			names := make([]string, len(domains))
			for i, dom := range domains {
				names[i] = dom.Name
			}
			detail += "; domains removed: " + strings.Join(names, ", ")
		}
		return s.logOp(ctx, tx, a, rules.ActionDeleteApiGroup, id, detail)
	})
	if err != nil {
		return fmt.Errorf("store: delete group %s: %w", id, err)
	}
	return nil
}

// CheckDeleteGroup answers whether a group may be deleted as things stand
// (rules.CheckDeleteGroup: not while it holds APIs), with the refusal
// DeleteGroup would give: the console's Delete dialog asks it before
// offering Delete.
func (s *Store) CheckDeleteGroup(ctx context.Context, g rules.Group) error {
	return checkGroupHasNoAPIs(ctx, s.rq, g)
}

// checkGroupHasNoAPIs reads how many APIs a group holds, and the names of
// the first few, for rules.CheckDeleteGroup.
func checkGroupHasNoAPIs(ctx context.Context, tx querier, g rules.Group) error {
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM apis WHERE group_id = ?`, g.ID).Scan(&total); err != nil {
		return err
	}
	if total == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT name FROM apis WHERE group_id = ? ORDER BY name LIMIT 3`, g.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rules.CheckDeleteGroup(g, total, names)
}

// EnableVpcDomain enables a group's VPC second-level domain (R2). On a
// dedicated instance that is not bound to a VPC it is refused (R5), judged
// on the instance row read inside the transaction.
func (s *Store) EnableVpcDomain(ctx context.Context, a Actor, groupID string) (rules.Group, error) {
	var g rules.Group
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		g, err = s.enableVpcDomain(ctx, tx, a, groupID)
		return err
	})
	if err != nil {
		return rules.Group{}, fmt.Errorf("store: enable vpc domain of %s: %w", groupID, err)
	}
	return g, nil
}

func (s *Store) enableVpcDomain(ctx context.Context, tx *sql.Tx, a Actor, groupID string) (rules.Group, error) {
	d, err := getGroupDetail(ctx, tx, a.AccountID, groupID)
	if err != nil {
		return rules.Group{}, err
	}
	if err := rules.CheckEnableVpcDomain(d.Group, d.Instance); err != nil {
		return rules.Group{}, err
	}
	g := d.Group
	if g.VpcDomainEnabled { // enabling again is not refused: nothing changes
		return g, s.logOp(ctx, tx, a, rules.ActionEnableVpcDomain, g.ID, g.VpcDomain()+" (already enabled)")
	}
	g.VpcDomainEnabled, g.ModifiedAt = true, s.now().UTC()
	if _, err := tx.ExecContext(ctx, `UPDATE api_groups SET vpc_domain_enabled = 1, modified_at = ? WHERE id = ?`,
		unixNano(g.ModifiedAt), g.ID); err != nil {
		return rules.Group{}, err
	}
	return g, s.logOp(ctx, tx, a, rules.ActionEnableVpcDomain, g.ID, g.VpcDomain())
}

// DisableVpcDomain disables a group's VPC second-level domain
// (rules.CheckDisableVpcDomain: refused while INTRANET custom domains
// point at it).
func (s *Store) DisableVpcDomain(ctx context.Context, a Actor, groupID string) (rules.Group, error) {
	var g rules.Group
	err := s.write(ctx, func(tx *sql.Tx) error {
		d, err := getGroupDetail(ctx, tx, a.AccountID, groupID)
		if err != nil {
			return err
		}
		domains, err := groupDomains(ctx, tx, groupID)
		if err != nil {
			return err
		}
		if err := rules.CheckDisableVpcDomain(d.Group, domains); err != nil {
			return err
		}
		g = d.Group
		g.VpcDomainEnabled, g.ModifiedAt = false, s.now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE api_groups SET vpc_domain_enabled = 0, modified_at = ? WHERE id = ?`,
			unixNano(g.ModifiedAt), g.ID); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionDisableVpcDomain, g.ID, g.VpcDomain())
	})
	if err != nil {
		return rules.Group{}, fmt.Errorf("store: disable vpc domain of %s: %w", groupID, err)
	}
	return g, nil
}

// MoveGroup moves a group of the actor's account to another instance of
// the same region visible to the account (R8, rules.CheckMoveGroup, judged
// on the group, both instance rows and the group's INTRANET domain count
// read inside the transaction).
func (s *Store) MoveGroup(ctx context.Context, a Actor, groupID, targetInstanceID string) (rules.Group, error) {
	var g rules.Group
	err := s.write(ctx, func(tx *sql.Tx) error {
		d, err := getGroupDetail(ctx, tx, a.AccountID, groupID)
		if err != nil {
			return err
		}
		to, err := getInstance(ctx, tx, a.AccountID, rules.TrimField(targetInstanceID))
		if err != nil {
			return err
		}
		var intranet int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM custom_domains WHERE group_id = ? AND network_type = ?`,
			groupID, string(rules.NetworkIntranet)).Scan(&intranet); err != nil {
			return err
		}
		if err := rules.CheckMoveGroup(d.Group, d.Instance, to, a.AccountID, intranet); err != nil {
			return err
		}
		g = d.Group
		g.InstanceID, g.ModifiedAt = to.ID, s.now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE api_groups SET instance_id = ?, modified_at = ? WHERE id = ?`,
			g.InstanceID, unixNano(g.ModifiedAt), g.ID); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionMoveGroup, g.ID, fmt.Sprintf("%s → %s", d.Instance.ID, to.ID))
	})
	if err != nil {
		return rules.Group{}, fmt.Errorf("store: move group %s to %s: %w", groupID, targetInstanceID, err)
	}
	return g, nil
}

// ListGroupsOnInstance returns the account's groups on an instance visible
// to it, oldest first.
func (s *Store) ListGroupsOnInstance(ctx context.Context, accountID, instanceID string) ([]rules.Group, error) {
	var out []rules.Group
	err := s.read(ctx, func(tx querier) error {
		if _, err := getInstance(ctx, tx, accountID, instanceID); err != nil {
			return err
		}
		var err error
		out, err = queryGroups(ctx, tx, `WHERE g.instance_id = CAST(? AS TEXT) AND g.account_id = CAST(? AS TEXT)`, instanceID, accountID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: groups on instance %s: %w", instanceID, err)
	}
	return out, nil
}

// GroupChoice is a group as a choice of a form: its id, name and region.
type GroupChoice struct {
	ID, Name, RegionID string
}

// GroupChoices lists the account's groups by name (folded, then as
// written) when it has at most max of them, for a form to offer as a
// choice; an account with more gets none and more is true (the total comes
// from group_counts, so a large account costs one small read). version is
// the account's version as the caller's request began
// (Session.AccountVersion), or 0: the list is kept by it, since every
// change to a group moves it (schemaV15). The list is shared: read it,
// never change it.
func (s *Store) GroupChoices(ctx context.Context, accountID string, version int64, max int) (out []GroupChoice, more bool, err error) {
	if c, ok := s.choices.Get(accountID, version, max); ok {
		return c.groups, c.more, nil
	}
	err = s.read(ctx, func(q querier) error {
		// One snapshot, since the answer is kept: the count and the list
		// agree.
		var total int
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM group_counts WHERE account_id = CAST(? AS TEXT)`, accountID).Scan(&total); err != nil {
			return err
		}
		if total > max {
			more = true
			return nil
		}
		rows, err := q.QueryContext(ctx, `SELECT id, name, region_id FROM api_groups INDEXED BY api_groups_folded
			WHERE account_id = CAST(? AS TEXT) ORDER BY name_folded, name, id LIMIT CAST(? AS INTEGER)`, accountID, max)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = make([]GroupChoice, 0, total)
		for rows.Next() {
			var g GroupChoice
			if err := rows.Scan(&g.ID, &g.Name, &g.RegionID); err != nil {
				return err
			}
			out = append(out, g)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: group choices: %w", err)
	}
	// Read after the version was: kept under it, never older than it.
	size := 64
	for _, g := range out {
		size += 48 + len(g.ID) + len(g.Name) + len(g.RegionID)
	}
	s.choices.Put(accountID, version, max, groupChoices{groups: out, more: more}, size)
	return out, more, nil
}

// groupChoices is what GroupChoices keeps.
type groupChoices struct {
	groups []GroupChoice
	more   bool
}

// groupCursor is a keyset position: the sort key and id of a row.
type groupCursor struct {
	orderBy string // "c" created, "m" modified
	key     int64
	id      string
}

func (c groupCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.orderBy + "." + strconv.FormatInt(c.key, 10) + "." + c.id))
}

func decodeGroupCursor(s, orderBy string) (groupCursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return groupCursor{}, false
	}
	parts := strings.SplitN(string(raw), ".", 3)
	if len(parts) != 3 || parts[0] != orderBy || parts[2] == "" {
		return groupCursor{}, false
	}
	key, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return groupCursor{}, false
	}
	return groupCursor{orderBy: orderBy, key: key, id: parts[2]}, true
}

// ListGroups returns a page of the account's groups (see GroupQuery). The
// list and its total come from one snapshot. The unfiltered total (by
// region or not) is read from group_counts in O(1); with a keyword or an
// instance filter it is a COUNT over the account's index range, made once
// per account group list version (countCache).
func (s *Store) ListGroups(ctx context.Context, accountID string, q GroupQuery) (GroupPage, error) {
	page, err := s.listGroups(ctx, accountID, q)
	if err != nil {
		return GroupPage{}, fmt.Errorf("store: list groups: %w", err)
	}
	return page, nil
}

// groupList is a planned group-list query: the page query, the total's
// query, and what turning the rows into a page needs.
type groupList struct {
	query, countQuery string
	args, countArgs   []any
	limit             int
	tag               string // cursor tag of the order: "c" or "m"
	after, backward   bool   // which cursor was given
	offset            bool   // PageNumber paging
	// counted: the total is a COUNT, remembered under countKey.
	counted  bool
	countKey countKey
}

// planGroupList validates q and builds the SQL of a group-list page.
func planGroupList(accountID string, q GroupQuery) (groupList, error) {
	l := groupList{limit: q.Limit, tag: "c"}
	if l.limit <= 0 {
		l.limit = DefaultGroupPageSize
	}
	l.limit = min(l.limit, MaxGroupPageSize)

	orderCol := "g.created_at"
	switch q.OrderBy {
	case "", "created":
	case "modified":
		orderCol, l.tag = "g.modified_at", "m"
	default:
		return groupList{}, invalidParam("OrderBy", fmt.Sprintf("The order %q is not one of created and modified.", q.OrderBy))
	}
	desc := true
	switch strings.ToLower(q.Sort) {
	case "", "desc":
	case "asc":
		desc = false
	default:
		return groupList{}, invalidParam("Sort", fmt.Sprintf("The sort %q is not one of asc and desc.", q.Sort))
	}
	if q.After != "" && q.Before != "" {
		return groupList{}, invalidParam("cursor", "Give a page's After or Before cursor, not both.")
	}
	if q.PageNumber < 0 {
		return groupList{}, invalidParam("PageNumber", "The page number starts at 1.")
	}

	where := []string{"g.account_id = CAST(? AS TEXT)"}
	args := []any{accountID}
	if q.RegionID != "" {
		where = append(where, "g.region_id = CAST(? AS TEXT)")
		args = append(args, q.RegionID)
	}
	if q.InstanceID != "" {
		where = append(where, "g.instance_id = CAST(? AS TEXT)")
		args = append(args, q.InstanceID)
	}
	// The keyword matches the folded name (rules.SearchKeyword,
	// rules.NameContains): instr is an exact substring test, judged on the
	// index that carries name_folded.
	keyword := rules.SearchKeyword(q.Keyword)
	if keyword != "" {
		where = append(where, `instr(g.name_folded, CAST(? AS TEXT)) > 0`)
		args = append(args, keyword)
	}

	// The total: O(1) from group_counts without a keyword or instance
	// filter, a COUNT over the same filters otherwise.
	if keyword == "" && q.InstanceID == "" {
		l.countQuery, l.countArgs = `SELECT COALESCE(SUM(n), 0) FROM group_counts WHERE account_id = CAST(? AS TEXT)`, []any{accountID}
		if q.RegionID != "" {
			l.countQuery += ` AND region_id = CAST(? AS TEXT)`
			l.countArgs = append(l.countArgs, q.RegionID)
		}
	} else {
		// A keyword COUNT reads the narrowest index holding the folded name.
		from := `api_groups g`
		if q.InstanceID == "" {
			from = `api_groups g INDEXED BY api_groups_folded`
		}
		l.countQuery, l.countArgs = `SELECT COUNT(*) FROM `+from+` WHERE `+strings.Join(where, " AND "), slices.Clone(args)
		l.counted = true
		l.countKey = countKey{list: "groups", account: accountID, filter: q.RegionID + "\x00" + q.InstanceID + "\x00" + keyword}
	}

	// Keyset: rows strictly after (or before) the cursor in the page order.
	// Going backwards scans the opposite way; the rows are reversed after.
	l.offset = q.PageNumber > 0
	if !l.offset && (q.After != "" || q.Before != "") {
		raw := q.After
		l.after = raw != ""
		if !l.after {
			raw, l.backward = q.Before, true
		}
		c, ok := decodeGroupCursor(raw, l.tag)
		if !ok {
			return groupList{}, invalidParam("cursor", "The page cursor is not valid for this list; start from the first page.")
		}
		cmp := ">"
		if desc == l.after {
			cmp = "<"
		}
		where = append(where, "("+orderCol+", g.id) "+cmp+" (?, ?)")
		args = append(args, c.key, c.id)
	}
	dir := "DESC"
	if desc == l.backward {
		dir = "ASC"
	}
	// Every row also carries the total when it comes from group_counts: an
	// uncorrelated subquery, evaluated once, in the same snapshot as the
	// rows (see listGroups).
	total := "0"
	if !l.counted {
		total = "(" + l.countQuery + ")"
		args = append(slices.Clone(l.countArgs), args...)
	}
	l.query = `SELECT ` + groupCols + `, i.type, i.name, ` + total + ` FROM api_groups g JOIN instances i ON i.id = g.instance_id
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + orderCol + ` ` + dir + `, g.id ` + dir + ` LIMIT CAST(? AS INTEGER)`
	if l.offset {
		l.query += ` OFFSET CAST(? AS INTEGER)`
		args = append(args, l.limit, (q.PageNumber-1)*l.limit)
	} else {
		args = append(args, l.limit+1) // one more: is there a further page?
	}
	l.args = args
	return l, nil
}

// groupListVersionQuery reads the account's group list version (schemaV4).
const groupListVersionQuery = `SELECT COALESCE(MAX(v), 0) FROM group_list_versions WHERE account_id = CAST(? AS TEXT)`

// listGroups answers the unfiltered list (by region or not) with one
// statement, whose rows carry the total. An empty page, or a filtered total
// (countCache), takes a read transaction: page and total in one snapshot.
func (s *Store) listGroups(ctx context.Context, accountID string, q GroupQuery) (GroupPage, error) {
	l, err := planGroupList(accountID, q)
	if err != nil {
		return GroupPage{}, err
	}
	var page GroupPage
	if !l.counted {
		var total int64
		if page, total, err = queryGroupPage(ctx, s.rq, l); err != nil {
			return GroupPage{}, err
		}
		page.Total = int(total)
	}
	if len(page.Items) == 0 {
		err = s.read(ctx, func(tx querier) error {
			var version int64
			if l.counted {
				if err := tx.QueryRowContext(ctx, groupListVersionQuery, accountID).Scan(&version); err != nil {
					return err
				}
			}
			var err error
			if page, _, err = queryGroupPage(ctx, tx, l); err != nil {
				return err
			}
			if l.counted {
				if total, ok := s.counts.get(l.countKey, version); ok {
					page.Total = total
					return nil
				}
			}
			if err := tx.QueryRowContext(ctx, l.countQuery, l.countArgs...).Scan(&page.Total); err != nil {
				return err
			}
			if l.counted {
				s.counts.put(l.countKey, version, page.Total)
			}
			return nil
		})
		if err != nil {
			return GroupPage{}, err
		}
	}
	if l.offset {
		return page, nil
	}

	more := len(page.Items) > l.limit
	if more {
		page.Items = page.Items[:l.limit]
	}
	if l.backward {
		slices.Reverse(page.Items)
	}
	cursorOf := func(r GroupRow) string {
		key := r.CreatedAt
		if l.tag == "m" {
			key = r.ModifiedAt
		}
		return groupCursor{orderBy: l.tag, key: unixNano(key), id: r.ID}.encode()
	}
	if n := len(page.Items); n > 0 {
		switch {
		case l.backward:
			page.Next = cursorOf(page.Items[n-1])
			if more {
				page.Prev = cursorOf(page.Items[0])
			}
		case l.after:
			page.Prev = cursorOf(page.Items[0])
			if more {
				page.Next = cursorOf(page.Items[n-1])
			}
		case more:
			page.Next = cursorOf(page.Items[n-1])
		}
	}
	return page, nil
}

// queryGroupPage runs a planned page query: the rows, and the total every
// row carries (0 when the total is counted, or without rows).
func queryGroupPage(ctx context.Context, q querier, l groupList) (GroupPage, int64, error) {
	rows, err := q.QueryContext(ctx, l.query, l.args...)
	if err != nil {
		return GroupPage{}, 0, err
	}
	defer rows.Close()
	// One row to scan into, copied into a page sized for the limit.
	page := GroupPage{Items: make([]GroupRow, 0, l.limit+1)}
	var r GroupRow
	var meta int64
	to := dest(groupDest(&r.Group), []any{&r.InstanceType, &r.InstanceName, &meta})
	for rows.Next() {
		if err := rows.Scan(to...); err != nil {
			return GroupPage{}, 0, err
		}
		page.Items = append(page.Items, r)
	}
	return page, meta, rows.Err()
}
