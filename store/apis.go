package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gatehouse/rules"
)

// APIs of a group and their deployments (SPEC.md §6).
//
// For the console and the OpenAPI endpoint:
//
//	CreateAPI(ctx, a, groupID, def) (rules.API, error)
//	ModifyAPI(ctx, a, id, def) (rules.API, error)       // the whole definition; the group stays
//	DeleteAPI(ctx, a, id) error                         // refused while deployed anywhere
//	GetAPI(ctx, accountID, id) (APIDetail, error)       // with its group and every stage's deployment
//	ListAPIs(ctx, accountID, APIQuery) (APIPage, error) // filters, keyset cursors or page numbers
//	DeployAPI(ctx, a, id, stage, description) (rules.Deployment, error)
//	AbolishAPI(ctx, a, id, stage) (bool, error)         // false: it was not deployed there
//	GetDeployment(ctx, accountID, id, stage) (DeploymentRow, error)
//	ListDeployments(ctx, accountID, DeploymentQuery) (DeploymentPage, error)
//
// For the gateway: DeployedAPIs (every deployment of every account, with
// the generation it was read at) and GatewayGeneration.
//
// A deployment is a snapshot: the API's definition is copied into
// api_deployments when it is deployed, so editing the API changes no stage
// until it is deployed again. Deploying again replaces the stage's
// snapshot.

// StageDeployment says which revision of an API a stage serves, since when
// and by whom: what the API list shows of each stage.
type StageDeployment struct {
	Stage      rules.Stage
	Revision   int64
	DeployedAt time.Time
	DeployedBy string
}

// APIRow is a line of the API list: the API, its group's name and region,
// and the stages it is deployed to (in rules.Stages() order). Of the
// definition, a list carries what it shows: name, description, method,
// path, protocols, backend type, DisableInternet and visibility (GetAPI has
// the rest).
type APIRow struct {
	rules.API
	GroupName string
	RegionID  string
	Stages    []StageDeployment
}

// DeployedTo returns the row's deployment in a stage.
func (r APIRow) DeployedTo(stage rules.Stage) (StageDeployment, bool) {
	for _, s := range r.Stages {
		if s.Stage == stage {
			return s, true
		}
	}
	return StageDeployment{}, false
}

// APIDetail is an API with its group and its deployments (in
// rules.Stages() order; a stage it is not deployed to is absent).
type APIDetail struct {
	rules.API
	Group       rules.Group
	Deployments []rules.Deployment
}

// Deployment returns the API's deployment in a stage.
func (d APIDetail) Deployment(stage rules.Stage) (rules.Deployment, bool) {
	for _, dep := range d.Deployments {
		if dep.Stage == stage {
			return dep, true
		}
	}
	return rules.Deployment{}, false
}

// DeploymentRow is a deployment with its group's name and region.
type DeploymentRow struct {
	rules.Deployment
	GroupName string
	RegionID  string
}

// APIQuery selects a page of an account's APIs, newest first. Paging is
// by keyset cursors (After, Before: from a previous APIPage) or, with
// PageNumber ≥ 1, by OFFSET (the OpenAPI's PageNumber).
type APIQuery struct {
	GroupID    string      // "" = every group
	Stage      rules.Stage // "" = deployed or not; else only APIs deployed to it
	Name       string      // substring of the name, case folded for every letter (rules.NameContains)
	Path       string      // case-insensitive substring of the request path (ASCII, as paths are)
	Method     string      // exact request method, ANY included
	APIID      string      // one API
	Visibility string      // "" = any; else PUBLIC or PRIVATE
	UnDeployed bool        // only APIs deployed to no stage
	Limit      int         // page size: default 20, at most MaxAPIPageSize
	After      string
	Before     string
	PageNumber int
}

// APIPage is one page of APIs; Total counts every API matching the
// filters. Next and Prev are cursors, empty when there is no such page
// (always with PageNumber paging).
type APIPage struct {
	Items []APIRow
	Total int
	Next  string
	Prev  string
}

// DeploymentQuery selects a page of an account's deployments to one stage,
// by the APIs' creation, newest first.
type DeploymentQuery struct {
	Stage      rules.Stage // required
	GroupID    string
	Name       string // substring of the deployed name, case folded for every letter
	Path       string // case-insensitive substring of the deployed path (ASCII)
	Method     string
	APIID      string
	Limit      int // default 20, at most MaxAPIPageSize
	PageNumber int // from 1
}

// DeploymentPage is one page of deployments and the total matching.
type DeploymentPage struct {
	Items []DeploymentRow
	Total int
}

// API page sizes.
const (
	DefaultAPIPageSize = 20
	MaxAPIPageSize     = 100
)

// The columns of an API's definition, in apis (alias a) and in
// api_deployments (alias d, where the API's description is
// api_description), scanned by apiDefDest and written by apiDefArgs (with
// the folded name, which nothing scans).
const (
	apiDefColsA = `a.name, a.description, a.method, a.path, a.protocols, a.backend, a.mock_body, a.mock_status,
	a.mock_headers, a.service_address, a.service_path, a.service_method, a.service_timeout, a.auth_type,
	a.disable_internet, a.visibility, a.result_type, a.result_sample`
	apiDefColsD = `d.name, d.api_description, d.method, d.path, d.protocols, d.backend, d.mock_body, d.mock_status,
	d.mock_headers, d.service_address, d.service_path, d.service_method, d.service_timeout, d.auth_type,
	d.disable_internet, d.visibility, d.result_type, d.result_sample`
	// What is written has the name folded for search too (schemaV10).
	apiDefNames = `name, description, method, path, protocols, backend, mock_body, mock_status,
	mock_headers, service_address, service_path, service_method, service_timeout, auth_type,
	disable_internet, visibility, result_type, result_sample, name_folded`
	apiDefNamesD = `name, api_description, method, path, protocols, backend, mock_body, mock_status,
	mock_headers, service_address, service_path, service_method, service_timeout, auth_type,
	disable_internet, visibility, result_type, result_sample, name_folded`
	apiDefPlaceholders = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`

	apiCols = `a.id, a.account_id, a.group_id, a.revision, a.created_at, a.modified_at, ` + apiDefColsA
	// apiListCols are what a list shows of an API, scanned by
	// apiListDest, with its group's name and region.
	apiListCols = `a.id, a.group_id, a.revision, a.created_at, a.modified_at, a.name, a.description,
	a.method, a.path, a.protocols, a.backend, a.disable_internet, a.visibility, a.group_name, a.region_id`
	deploymentCols = `d.api_id, d.account_id, d.group_id, d.stage, d.revision, d.description, d.deployed_by,
	d.deployed_via, d.deployed_at, ` + apiDefColsD
)

func apiDefDest(d *rules.APIDefinition) []any {
	return []any{&d.Name, &d.Description, &d.Method, &d.Path, protocolsCol{&d.Protocols}, &d.Backend, &d.MockBody, &d.MockStatus,
		headersCol{&d.MockHeaders}, &d.ServiceAddress, &d.ServicePath, &d.ServiceMethod, &d.ServiceTimeout, &d.AuthType,
		&d.DisableInternet, &d.Visibility, &d.ResultType, &d.ResultSample}
}

func apiDefArgs(d rules.APIDefinition) []any {
	return []any{d.Name, d.Description, d.Method, d.Path, d.Protocols.String(), string(d.Backend), d.MockBody, d.MockStatus,
		encodeHeaders(d.MockHeaders), d.ServiceAddress, d.ServicePath, d.ServiceMethod, d.ServiceTimeout, d.AuthType,
		d.DisableInternet, d.Visibility, d.ResultType, d.ResultSample, rules.FoldName(d.Name)}
}

// apiListDest scans apiListCols into a list row.
func apiListDest(r *APIRow) []any {
	return []any{&r.ID, &r.GroupID, &r.Revision, nanoTime{&r.CreatedAt}, nanoTime{&r.ModifiedAt}, &r.Name, &r.Description,
		&r.Method, &r.Path, protocolsCol{&r.Protocols}, &r.Backend, &r.DisableInternet, &r.Visibility, &r.GroupName, &r.RegionID}
}

func apiDest(a *rules.API) []any {
	return append([]any{&a.ID, &a.AccountID, &a.GroupID, &a.Revision, nanoTime{&a.CreatedAt}, nanoTime{&a.ModifiedAt}},
		apiDefDest(&a.APIDefinition)...)
}

func deploymentDest(d *rules.Deployment) []any {
	return append([]any{&d.APIID, &d.AccountID, &d.GroupID, &d.Stage, &d.Revision, &d.Description, &d.DeployedBy,
		&d.DeployedVia, nanoTime{&d.DeployedAt}}, apiDefDest(&d.Definition)...)
}

// protocolsCol scans the stored "HTTP,HTTPS" form.
type protocolsCol struct{ p *rules.Protocols }

func (c protocolsCol) Scan(src any) error {
	s, ok := src.(string)
	if !ok {
		return fmt.Errorf("store: scan protocols: unexpected %T", src)
	}
	p, ok := rules.ParseProtocols(s)
	if !ok {
		return fmt.Errorf("store: scan protocols: %q", s)
	}
	*c.p = p
	return nil
}

// headersCol scans Mock headers stored one "Name: Value" line each.
type headersCol struct{ h *[]rules.Header }

func (c headersCol) Scan(src any) error {
	s, ok := src.(string)
	if !ok {
		return fmt.Errorf("store: scan headers: unexpected %T", src)
	}
	*c.h = nil
	for line := range strings.SplitSeq(s, "\n") {
		if line == "" {
			continue
		}
		name, value, _ := strings.Cut(line, ": ")
		*c.h = append(*c.h, rules.Header{Name: name, Value: value})
	}
	return nil
}

func encodeHeaders(hs []rules.Header) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(h.Name + ": " + h.Value + "\n")
	}
	return b.String()
}

// getAPI reads an API of the account with its group.
func getAPI(ctx context.Context, q querier, accountID, id string) (rules.API, rules.Group, error) {
	var a rules.API
	var g rules.Group
	err := q.QueryRowContext(ctx, `SELECT `+apiCols+`, `+groupCols+`
		FROM apis a JOIN api_groups g ON g.id = a.group_id
		WHERE a.id = CAST(? AS TEXT) AND a.account_id = CAST(? AS TEXT)`, id, accountID).
		Scan(dest(apiDest(&a), groupDest(&g))...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.API{}, rules.Group{}, rules.APINotFound(id)
	}
	return a, g, err
}

// apiDeployments reads an API's deployments in rules.Stages() order.
func apiDeployments(ctx context.Context, q querier, apiID string) ([]rules.Deployment, error) {
	out, err := scanDeployments(ctx, q, nil, `SELECT `+deploymentCols+` FROM api_deployments d WHERE d.api_id = CAST(? AS TEXT)`, apiID)
	slices.SortFunc(out, func(x, y rules.Deployment) int { return stageOrder(x.Stage) - stageOrder(y.Stage) })
	return out, err
}

func stageOrder(s rules.Stage) int { return slices.Index(rules.Stages(), s) }

// GetAPI returns an API of the account with its group and deployments, in
// one snapshot.
func (s *Store) GetAPI(ctx context.Context, accountID, id string) (APIDetail, error) {
	var d APIDetail
	err := s.read(ctx, func(tx querier) error {
		var err error
		if d.API, d.Group, err = getAPI(ctx, tx, accountID, id); err != nil {
			return err
		}
		d.Deployments, err = apiDeployments(ctx, tx, id)
		return err
	})
	if err != nil {
		return APIDetail{}, fmt.Errorf("store: API %s: %w", id, err)
	}
	return d, nil
}

// prepareDefinition fills the defaults, validates and normalizes a
// definition: what is stored is exactly what was checked.
func prepareDefinition(def rules.APIDefinition) (rules.APIDefinition, error) {
	def = def.WithDefaults()
	if err := inputError(def.Validate()); err != nil {
		return rules.APIDefinition{}, err
	}
	return def.Normalized(), nil
}

// checkAPIFree refuses a name or a route (method and path shape) another
// API (not exceptID) of the group has.
func checkAPIFree(ctx context.Context, tx *sql.Tx, g rules.Group, def rules.APIDefinition, exceptID string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM apis WHERE group_id = ? AND name = ? AND id <> ?`,
		g.ID, def.Name, exceptID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return rules.DuplicateAPIName(def.Name, g.Name)
	}
	var other, otherPath string
	err := tx.QueryRowContext(ctx, `SELECT name, path FROM apis WHERE group_id = ? AND method = ? AND route_shape = ? AND id <> ?`,
		g.ID, def.Method, rules.RouteShape(def.Path), exceptID).Scan(&other, &otherPath)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	return rules.DuplicateAPIRoute(def.Method, def.Path, other, otherPath)
}

// CreateAPI creates an API in a group of the actor's account. The
// definition gets its defaults (rules.APIDefinition.WithDefaults), is
// validated, and keeps only its backend's settings; its name and route must
// be free in the group.
func (s *Store) CreateAPI(ctx context.Context, a Actor, groupID string, def rules.APIDefinition) (rules.API, error) {
	var api rules.API
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		api, err = s.createAPI(ctx, tx, a, groupID, def)
		return err
	})
	if err != nil {
		return rules.API{}, fmt.Errorf("store: create API %q: %w", def.Name, err)
	}
	return api, nil
}

func (s *Store) createAPI(ctx context.Context, tx *sql.Tx, a Actor, groupID string, def rules.APIDefinition) (rules.API, error) {
	def, err := prepareDefinition(def)
	if err != nil {
		return rules.API{}, err
	}
	d, err := getGroupDetail(ctx, tx, a.AccountID, groupID)
	if err != nil {
		return rules.API{}, err
	}
	if err := checkAPIFree(ctx, tx, d.Group, def, ""); err != nil {
		return rules.API{}, err
	}
	now := s.now().UTC()
	api := rules.API{ID: rules.NewAPIID(), AccountID: a.AccountID, GroupID: d.ID, APIDefinition: def, Revision: 1, CreatedAt: now, ModifiedAt: now}
	_, err = tx.ExecContext(ctx, `INSERT INTO apis (id, account_id, group_id, group_name, region_id, route_shape, revision, created_at, modified_at, `+apiDefNames+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, `+apiDefPlaceholders+`)`,
		append([]any{api.ID, api.AccountID, api.GroupID, d.Name, d.RegionID, rules.RouteShape(def.Path), api.Revision, unixNano(now), unixNano(now)}, apiDefArgs(def)...)...)
	if isUniqueViolation(err) { // another process won the race for the name or route
		return rules.API{}, rules.DuplicateAPIName(def.Name, d.Name)
	}
	if err != nil {
		return rules.API{}, err
	}
	return api, s.logOp(ctx, tx, a, rules.ActionCreateApi, api.ID, fmt.Sprintf("%s %s %s in group %s", def.Name, def.Method, def.Path, d.Name))
}

// ModifyAPI replaces an API's definition (the caller merges what it keeps)
// and moves its revision on. Its deployments stay as they were deployed.
// A definition equal to the current one changes nothing.
func (s *Store) ModifyAPI(ctx context.Context, a Actor, id string, def rules.APIDefinition) (rules.API, error) {
	var api rules.API
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		api, err = s.modifyAPI(ctx, tx, a, id, def)
		return err
	})
	if err != nil {
		return rules.API{}, fmt.Errorf("store: modify API %s: %w", id, err)
	}
	return api, nil
}

func (s *Store) modifyAPI(ctx context.Context, tx *sql.Tx, a Actor, id string, def rules.APIDefinition) (rules.API, error) {
	api, g, err := getAPI(ctx, tx, a.AccountID, id)
	if err != nil {
		return rules.API{}, err
	}
	if def, err = prepareDefinition(def); err != nil {
		return rules.API{}, err
	}
	if sameDefinition(api.APIDefinition, def) {
		return api, s.logOp(ctx, tx, a, rules.ActionModifyApi, id, def.Name+" (no change)")
	}
	if err := checkAPIFree(ctx, tx, g, def, id); err != nil {
		return rules.API{}, err
	}
	api.APIDefinition, api.Revision, api.ModifiedAt = def, api.Revision+1, s.now().UTC()
	_, err = tx.ExecContext(ctx, `UPDATE apis SET (route_shape, revision, modified_at, `+apiDefNames+`) =
		(?, ?, ?, `+apiDefPlaceholders+`) WHERE id = ?`,
		append(append([]any{rules.RouteShape(def.Path), api.Revision, unixNano(api.ModifiedAt)}, apiDefArgs(def)...), id)...)
	if isUniqueViolation(err) {
		return rules.API{}, rules.DuplicateAPIName(def.Name, g.Name)
	}
	if err != nil {
		return rules.API{}, err
	}
	return api, s.logOp(ctx, tx, a, rules.ActionModifyApi, id, fmt.Sprintf("%s %s %s, revision %d", def.Name, def.Method, def.Path, api.Revision))
}

// sameDefinition compares two normalized definitions (no headers is nil
// in both).
func sameDefinition(x, y rules.APIDefinition) bool { return reflect.DeepEqual(x, y) }

// deployedStages lists the stages an API is deployed to, in rules.Stages()
// order.
func deployedStages(ctx context.Context, q querier, apiID string) ([]rules.Stage, error) {
	rows, err := q.QueryContext(ctx, `SELECT stage FROM api_deployments WHERE api_id = ?`, apiID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rules.Stage
	for rows.Next() {
		var st rules.Stage
		if err := rows.Scan(&st); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(x, y rules.Stage) int { return stageOrder(x) - stageOrder(y) })
	return out, rows.Err()
}

// DeleteAPI deletes an API of the actor's account; refused while it is
// deployed to any stage (rules.CheckDeleteAPI).
func (s *Store) DeleteAPI(ctx context.Context, a Actor, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		api, g, err := getAPI(ctx, tx, a.AccountID, id)
		if err != nil {
			return err
		}
		stages, err := deployedStages(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := rules.CheckDeleteAPI(api, stages); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM apis WHERE id = ?`, id); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionDeleteApi, id, fmt.Sprintf("%s %s %s in group %s", api.Name, api.Method, api.Path, g.Name))
	})
	if err != nil {
		return fmt.Errorf("store: delete API %s: %w", id, err)
	}
	return nil
}

// DeployAPI deploys an API of the actor's account to a stage: its current
// definition is copied as the stage's snapshot, replacing any earlier one,
// with who deployed it, when and their description. Refused when another
// API of the group is deployed to the stage on the same method and path
// shape (rules.DeployRouteConflict).
func (s *Store) DeployAPI(ctx context.Context, a Actor, id string, stage rules.Stage, description string) (rules.Deployment, error) {
	var dep rules.Deployment
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		dep, err = s.deployAPI(ctx, tx, a, id, stage, description)
		return err
	})
	if err != nil {
		return rules.Deployment{}, fmt.Errorf("store: deploy API %s to %s: %w", id, stage, err)
	}
	return dep, nil
}

func (s *Store) deployAPI(ctx context.Context, tx *sql.Tx, a Actor, id string, stage rules.Stage, description string) (rules.Deployment, error) {
	st, err := rules.ParseStage(string(stage))
	if err != nil {
		return rules.Deployment{}, asInputError(err)
	}
	if err := rules.CheckDeployDescription(description); err != nil {
		return rules.Deployment{}, asInputError(err)
	}
	api, g, err := getAPI(ctx, tx, a.AccountID, id)
	if err != nil {
		return rules.Deployment{}, err
	}
	var other rules.Deployment
	err = tx.QueryRowContext(ctx, `SELECT `+deploymentCols+` FROM api_deployments d
		WHERE d.group_id = ? AND d.stage = ? AND d.method = ? AND d.route_shape = ? AND d.api_id <> ?`,
		g.ID, string(st), api.Method, rules.RouteShape(api.Path), id).Scan(deploymentDest(&other)...)
	switch {
	case err == nil:
		return rules.Deployment{}, rules.DeployRouteConflict(api, st, other)
	case !errors.Is(err, sql.ErrNoRows):
		return rules.Deployment{}, err
	}
	dep := rules.Deployment{APIID: id, AccountID: api.AccountID, GroupID: g.ID, Stage: st, Definition: api.APIDefinition,
		Revision: api.Revision, Description: description, DeployedBy: a.Name, DeployedVia: a.Source, DeployedAt: s.now().UTC()}
	// Deploying again replaces the stage's snapshot.
	if _, err := tx.ExecContext(ctx, `DELETE FROM api_deployments WHERE api_id = ? AND stage = ?`, id, string(st)); err != nil {
		return rules.Deployment{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO api_deployments (api_id, stage, account_id, group_id, api_created_at,
		route_shape, revision, description, deployed_by, deployed_via, deployed_at, `+apiDefNamesD+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, `+apiDefPlaceholders+`)`,
		append([]any{id, string(st), dep.AccountID, dep.GroupID, unixNano(api.CreatedAt), rules.RouteShape(api.Path), dep.Revision,
			description, dep.DeployedBy, string(dep.DeployedVia), unixNano(dep.DeployedAt)}, apiDefArgs(api.APIDefinition)...)...)
	if isUniqueViolation(err) { // another process deployed the route meanwhile
		return rules.Deployment{}, rules.DeployRouteConflict(api, st, rules.Deployment{Definition: api.APIDefinition, DeployedAt: dep.DeployedAt})
	}
	if err != nil {
		return rules.Deployment{}, err
	}
	detail := fmt.Sprintf("%s revision %d to %s", api.Name, api.Revision, st)
	if description != "" {
		detail += ": " + description
	}
	return dep, s.logOp(ctx, tx, a, rules.ActionDeployApi, id, detail)
}

// AbolishAPI takes an API of the actor's account off a stage. An API that
// is not deployed there is not refused: nothing changes and abolished is
// false (the operation log says so).
func (s *Store) AbolishAPI(ctx context.Context, a Actor, id string, stage rules.Stage) (abolished bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		st, err := rules.ParseStage(string(stage))
		if err != nil {
			return asInputError(err)
		}
		api, _, err := getAPI(ctx, tx, a.AccountID, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM api_deployments WHERE api_id = ? AND stage = ?`, id, string(st))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		abolished = n > 0
		detail := fmt.Sprintf("%s from %s", api.Name, st)
		if !abolished {
			detail += " (was not deployed)"
		}
		return s.logOp(ctx, tx, a, rules.ActionAbolishApi, id, detail)
	})
	if err != nil {
		return false, fmt.Errorf("store: abolish API %s from %s: %w", id, stage, err)
	}
	return abolished, nil
}

// GetDeployment returns an API's deployment to a stage, as deployed. An
// API that is not deployed there answers rules.NotDeployed.
func (s *Store) GetDeployment(ctx context.Context, accountID, id string, stage rules.Stage) (DeploymentRow, error) {
	var row DeploymentRow
	err := s.read(ctx, func(tx querier) error {
		st, err := rules.ParseStage(string(stage))
		if err != nil {
			return asInputError(err)
		}
		stage = st
		api, g, err := getAPI(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT `+deploymentCols+` FROM api_deployments d WHERE d.api_id = CAST(? AS TEXT) AND d.stage = CAST(? AS TEXT)`,
			id, string(stage)).Scan(deploymentDest(&row.Deployment)...)
		if errors.Is(err, sql.ErrNoRows) {
			return rules.NotDeployed(api, stage)
		}
		row.GroupName, row.RegionID = g.Name, g.RegionID
		return err
	})
	if err != nil {
		return DeploymentRow{}, fmt.Errorf("store: deployment of API %s to %s: %w", id, stage, err)
	}
	return row, nil
}

// DeployedAPIs is the gateway's read: every deployment of every account,
// in no particular order (rules.NewRouteTables sorts them out), with the
// gateway generation of the same snapshot (see GatewayGeneration).
func (s *Store) DeployedAPIs(ctx context.Context) (generation int64, out []rules.Deployment, err error) {
	err = s.read(ctx, func(tx querier) error {
		if err := tx.QueryRowContext(ctx, generationQuery).Scan(&generation); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_deployments`).Scan(&n); err != nil {
			return err
		}
		out = make([]rules.Deployment, 0, n)
		out, err = scanDeployments(ctx, tx, out, `SELECT `+deploymentCols+` FROM api_deployments d`)
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("store: deployed APIs: %w", err)
	}
	return generation, out, nil
}

// DeployedAPIsOfGroup is DeployedAPIs for one group (of any account): a
// narrower read for a gateway that knows which group changed.
func (s *Store) DeployedAPIsOfGroup(ctx context.Context, groupID string) (generation int64, out []rules.Deployment, err error) {
	err = s.read(ctx, func(tx querier) error {
		if err := tx.QueryRowContext(ctx, generationQuery).Scan(&generation); err != nil {
			return err
		}
		out, err = scanDeployments(ctx, tx, nil, `SELECT `+deploymentCols+` FROM api_deployments d INDEXED BY api_deployments_route
			WHERE d.group_id = CAST(? AS TEXT)`, groupID)
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("store: deployed APIs of group %s: %w", groupID, err)
	}
	return generation, out, nil
}

// scanDeployments appends the deployments a query selects (deploymentCols).
func scanDeployments(ctx context.Context, q querier, out []rules.Deployment, query string, args ...any) ([]rules.Deployment, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var d rules.Deployment
	to := deploymentDest(&d)
	for rows.Next() {
		if err := rows.Scan(to...); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// apiList is a planned API-list query.
type apiList struct {
	accountID         string
	query, countQuery string
	args, countArgs   []any
	limit             int
	after, backward   bool
	offset            bool
	counted           bool // the total is a COUNT, remembered under countKey
	countKey          countKey
}

// first reports whether the page is the list's first, asked by keyset
// (no cursor, no page number): one row more than the limit tells whether
// the list goes on.
func (l apiList) first() bool { return !l.offset && !l.after && !l.backward }

const apiCursorTag = "a"

// likeArg is a case-insensitive substring pattern for LIKE … ESCAPE '\'.
func likeArg(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

// pageLimit bounds a page size.
func pageLimit(n int) int {
	if n <= 0 {
		return DefaultAPIPageSize
	}
	return min(n, MaxAPIPageSize)
}

// planAPIList builds the SQL of an API-list page. The rows come from the
// narrowest index for the filters: the group's APIs, the stage's
// deployments, or the account's APIs, each in creation order.
func planAPIList(accountID string, q APIQuery) (apiList, error) {
	l := apiList{accountID: accountID, limit: pageLimit(q.Limit)}
	if q.After != "" && q.Before != "" {
		return apiList{}, invalidParam("cursor", "Give a page's After or Before cursor, not both.")
	}
	if q.PageNumber < 0 {
		return apiList{}, invalidParam("PageNumber", "The page number starts at 1.")
	}
	if q.Stage != "" {
		if _, err := rules.ParseStage(string(q.Stage)); err != nil {
			return apiList{}, asInputError(err)
		}
	}
	from := `apis a INDEXED BY apis_account_created`
	order := []string{"a.created_at", "a.id"}
	where := []string{"a.account_id = CAST(? AS TEXT)"}
	args := []any{accountID}
	switch {
	case q.GroupID != "":
		from = `apis a INDEXED BY apis_group_created`
		where = append(where, "a.group_id = CAST(? AS TEXT)")
		args = append(args, q.GroupID)
		if q.Stage != "" {
			where = append(where, "EXISTS (SELECT 1 FROM api_deployments s WHERE s.api_id = a.id AND s.stage = CAST(? AS TEXT))")
			args = append(args, string(q.Stage))
		}
	case q.Stage != "":
		from = `api_deployments s INDEXED BY api_deployments_account_stage JOIN apis a ON a.id = s.api_id`
		order = []string{"s.api_created_at", "s.api_id"}
		where = []string{"s.account_id = CAST(? AS TEXT)", "s.stage = CAST(? AS TEXT)"}
		args = []any{accountID, string(q.Stage)}
	}
	if q.Method != "" {
		where = append(where, "a.method = CAST(? AS TEXT)")
		args = append(args, q.Method)
	}
	if q.APIID != "" {
		where = append(where, "a.id = CAST(? AS TEXT)")
		args = append(args, q.APIID)
	}
	if q.Visibility != "" {
		where = append(where, "a.visibility = CAST(? AS TEXT)")
		args = append(args, q.Visibility)
	}
	if q.UnDeployed {
		where = append(where, "NOT EXISTS (SELECT 1 FROM api_deployments u WHERE u.api_id = a.id)")
	}
	// The name matches folded, as a group's does (rules.SearchKeyword,
	// rules.NameContains): instr is an exact substring test, judged on the
	// index that carries name_folded.
	name := rules.SearchKeyword(q.Name)
	if name != "" {
		where = append(where, `instr(a.name_folded, CAST(? AS TEXT)) > 0`)
		args = append(args, name)
	}
	if path := strings.TrimSpace(q.Path); path != "" {
		where = append(where, `a.path LIKE CAST(? AS TEXT) ESCAPE '\'`)
		args = append(args, likeArg(path))
	}

	// The total: O(1) from api_counts without filters, else a COUNT
	// remembered per version of the account's API list.
	if len(where) == 1 {
		l.countQuery, l.countArgs = apiCountQuery, []any{accountID}
	} else {
		l.countQuery, l.countArgs = `SELECT COUNT(*) FROM `+from+` WHERE `+strings.Join(where, " AND "), slices.Clone(args)
		l.counted = true
		l.countKey = countKey{list: "apis", account: accountID,
			filter: strings.Join([]string{q.GroupID, string(q.Stage), q.Method, q.APIID, name, strings.TrimSpace(q.Path),
				q.Visibility, strconv.FormatBool(q.UnDeployed)}, "\x00")}
	}

	l.offset = q.PageNumber > 0
	if !l.offset && (q.After != "" || q.Before != "") {
		raw := q.After
		l.after = raw != ""
		if !l.after {
			raw, l.backward = q.Before, true
		}
		c, ok := decodeGroupCursor(raw, apiCursorTag)
		if !ok {
			return apiList{}, invalidParam("cursor", "The page cursor is not valid for this list; start from the first page.")
		}
		cmp := "<" // newest first: the next page is older
		if !l.after {
			cmp = ">"
		}
		where = append(where, "("+order[0]+", "+order[1]+") "+cmp+" (?, ?)")
		args = append(args, c.key, c.id)
	}
	dir := "DESC"
	if l.backward {
		dir = "ASC"
	}
	total := "0"
	if !l.counted {
		total = "(" + l.countQuery + ")"
		args = append(slices.Clone(l.countArgs), args...)
	}
	// The stages come from the row itself (stage_summary, kept by trigger).
	l.query = `SELECT ` + apiListCols + `, a.stage_summary, ` + total + `
		FROM ` + from + `
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order[0] + ` ` + dir + `, ` + order[1] + ` ` + dir + ` LIMIT CAST(? AS INTEGER)`
	if l.offset {
		l.query += ` OFFSET CAST(? AS INTEGER)`
		args = append(args, l.limit, (q.PageNumber-1)*l.limit)
	} else {
		args = append(args, l.limit+1) // one more: is there a further page?
	}
	l.args = args
	return l, nil
}

// apiCountQuery reads how many APIs an account has, in O(1) from the
// maintained api_counts.
const apiCountQuery = `SELECT COALESCE(MAX(n), 0) FROM api_counts WHERE account_id = CAST(? AS TEXT)`

// apiListVersionQuery reads the account's API list version (schemaV7).
const apiListVersionQuery = `SELECT COALESCE(MAX(v), 0) FROM api_list_versions WHERE account_id = CAST(? AS TEXT)`

// ListAPIs returns a page of the account's APIs, newest first (see
// APIQuery), each with its group and the stages it is deployed to. The
// page and its total come from one snapshot.
func (s *Store) ListAPIs(ctx context.Context, accountID string, q APIQuery) (APIPage, error) {
	page, err := s.listAPIs(ctx, accountID, q)
	if err != nil {
		return APIPage{}, fmt.Errorf("store: list APIs: %w", err)
	}
	return page, nil
}

func (s *Store) listAPIs(ctx context.Context, accountID string, q APIQuery) (APIPage, error) {
	l, err := planAPIList(accountID, q)
	if err != nil {
		return APIPage{}, err
	}
	var page APIPage
	if !l.counted {
		var total int64
		if page, total, err = queryAPIPage(ctx, s.rq, l); err != nil {
			return APIPage{}, err
		}
		page.Total = int(total)
	}
	// A group's first page (Group Details asks for it): a group holds few
	// APIs, so its first page is usually the whole list, its own count, and
	// one statement answers it, no transaction. A fuller group goes on as
	// any filter does.
	whole := false
	if l.counted && l.first() && q.GroupID != "" {
		if page, _, err = queryAPIPage(ctx, s.rq, l); err != nil {
			return APIPage{}, err
		}
		if whole = len(page.Items) <= l.limit; whole {
			page.Total = len(page.Items)
		}
	}
	if !whole && (l.counted || len(page.Items) == 0) {
		err = s.read(ctx, func(tx querier) error {
			var err error
			if page, _, err = queryAPIPage(ctx, tx, l); err != nil {
				return err
			}
			if l.counted && l.first() && len(page.Items) <= l.limit {
				// The whole list fits on its first page (a group's APIs,
				// usually): it is its own count.
				page.Total = len(page.Items)
				return nil
			}
			page.Total, err = s.countOnce(ctx, tx, l.countKey, l.counted, apiListVersionQuery, accountID, l.countQuery, l.countArgs)
			return err
		})
		if err != nil {
			return APIPage{}, err
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
	cursorOf := func(r APIRow) string {
		return groupCursor{orderBy: apiCursorTag, key: unixNano(r.CreatedAt), id: r.ID}.encode()
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

// countOnce answers a list's total inside tx: remembered in countCache at
// the account's list version when counted, else the query as is.
func (s *Store) countOnce(ctx context.Context, tx querier, key countKey, counted bool, versionQuery, accountID, countQuery string, countArgs []any) (int, error) {
	var version int64
	if counted {
		if err := tx.QueryRowContext(ctx, versionQuery, accountID).Scan(&version); err != nil {
			return 0, err
		}
		if total, ok := s.counts.get(key, version); ok {
			return total, nil
		}
	}
	var total int
	if err := tx.QueryRowContext(ctx, countQuery, countArgs...).Scan(&total); err != nil {
		return 0, err
	}
	if counted {
		s.counts.put(key, version, total)
	}
	return total, nil
}

// queryAPIPage runs a planned page query: the rows, and the total every
// row carries (0 when it is counted apart, or without rows).
func queryAPIPage(ctx context.Context, q querier, l apiList) (APIPage, int64, error) {
	rows, err := q.QueryContext(ctx, l.query, l.args...)
	if err != nil {
		return APIPage{}, 0, err
	}
	defer rows.Close()
	// One row to scan into, copied into a page sized for the limit.
	page := APIPage{Items: make([]APIRow, 0, l.limit+1)}
	var total int64
	var r APIRow
	var stages string
	to := append(apiListDest(&r), &stages, &total)
	for rows.Next() {
		if err := rows.Scan(to...); err != nil {
			return APIPage{}, 0, err
		}
		r.AccountID = l.accountID
		if r.Stages, err = parseStages(stages); err != nil {
			return APIPage{}, 0, err
		}
		page.Items = append(page.Items, r)
	}
	return page, total, rows.Err()
}

// parseStages reads the list query's summary of an API's deployments
// (apis.stage_summary, schemaV11).
func parseStages(s string) ([]StageDeployment, error) {
	if s == "" {
		return nil, nil
	}
	// The fields are cut out of s in place: a row's stages cost one slice.
	out := make([]StageDeployment, 0, strings.Count(s, "\x1e")+1)
	for item := range strings.SplitSeq(s, "\x1e") {
		stage, rest, ok1 := strings.Cut(item, "\x1f")
		rev, rest, ok2 := strings.Cut(rest, "\x1f")
		at, by, ok3 := strings.Cut(rest, "\x1f")
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("deployment summary %q", item)
		}
		r, err1 := strconv.ParseInt(rev, 10, 64)
		t, err2 := strconv.ParseInt(at, 10, 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("deployment summary %q: %w", item, err)
		}
		out = append(out, StageDeployment{Stage: rules.Stage(stage), Revision: r, DeployedAt: fromUnixNano(t), DeployedBy: by})
	}
	slices.SortFunc(out, func(x, y StageDeployment) int { return stageOrder(x.Stage) - stageOrder(y.Stage) })
	return out, nil
}

// ListDeployments returns a page of the account's deployments to one stage
// (see DeploymentQuery), with the total matching, from one snapshot.
func (s *Store) ListDeployments(ctx context.Context, accountID string, q DeploymentQuery) (DeploymentPage, error) {
	st, err := rules.ParseStage(string(q.Stage))
	if err != nil {
		return DeploymentPage{}, fmt.Errorf("store: list deployments: %w", asInputError(err))
	}
	if q.PageNumber < 0 {
		return DeploymentPage{}, fmt.Errorf("store: list deployments: %w", invalidParam("PageNumber", "The page number starts at 1."))
	}
	limit, number := pageLimit(q.Limit), max(q.PageNumber, 1)
	from := `api_deployments d INDEXED BY api_deployments_account_stage`
	where := []string{"d.account_id = CAST(? AS TEXT)", "d.stage = CAST(? AS TEXT)"}
	args := []any{accountID, string(st)}
	if q.GroupID != "" {
		from = `api_deployments d INDEXED BY api_deployments_route`
		where = append(where, "d.group_id = CAST(? AS TEXT)")
		args = append(args, q.GroupID)
	}
	for _, f := range []struct{ cond, v string }{
		{"d.method = CAST(? AS TEXT)", q.Method},
		{"d.api_id = CAST(? AS TEXT)", q.APIID},
		{`instr(d.name_folded, CAST(? AS TEXT)) > 0`, rules.SearchKeyword(q.Name)},
		{`d.path LIKE CAST(? AS TEXT) ESCAPE '\'`, likeOrEmpty(q.Path)},
	} {
		if f.v != "" {
			where = append(where, f.cond)
			args = append(args, f.v)
		}
	}
	cond := strings.Join(where, " AND ")
	key := countKey{list: "deployments", account: accountID,
		filter: strings.Join([]string{string(st), q.GroupID, q.Method, q.APIID, rules.SearchKeyword(q.Name), strings.TrimSpace(q.Path)}, "\x00")}
	var page DeploymentPage
	err = s.read(ctx, func(tx querier) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deploymentCols+`, g.name, g.region_id FROM `+from+` JOIN api_groups g ON g.id = d.group_id
			WHERE `+cond+` ORDER BY d.api_created_at DESC, d.api_id DESC LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)`,
			append(slices.Clone(args), limit, (number-1)*limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		page.Items = make([]DeploymentRow, 0, limit)
		for rows.Next() {
			var r DeploymentRow
			if err := rows.Scan(dest(deploymentDest(&r.Deployment), []any{&r.GroupName, &r.RegionID})...); err != nil {
				return err
			}
			page.Items = append(page.Items, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		page.Total, err = s.countOnce(ctx, tx, key, true, apiListVersionQuery, accountID, `SELECT COUNT(*) FROM `+from+` WHERE `+cond, args)
		return err
	})
	if err != nil {
		return DeploymentPage{}, fmt.Errorf("store: list deployments: %w", err)
	}
	return page, nil
}

func likeOrEmpty(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	return likeArg(s)
}
