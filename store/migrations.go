package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gatehouse/rules"
)

// migration is one step of the schema. The list is append-only: never edit
// or reorder a shipped migration, add a new one. A migration is plain SQL,
// never derived from today's Go structs.
type migration struct {
	version int
	name    string
	sql     string
	// backfill, if set, runs after sql in the same transaction: for a
	// value SQL cannot compute (a name folded as package rules folds it).
	backfill func(context.Context, *sql.Tx) error
}

// migrations, in order. Versions start at 1 and have no gaps.
var migrations = []migration{
	{1, "initial schema", schemaV1, nil},
	{2, "console sessions", schemaV2, nil},
	{3, "session idle timeout on the server", schemaV3, nil},
	{4, "group list versions", schemaV4, nil},
	{5, "a version of who may do what", schemaV5, nil},
	{6, "group names folded for search", schemaV6, backfillFoldedNames},
	{7, "APIs, their deployments, and the gateway generation", schemaV7, nil},
	{8, "public domain call reservations", schemaV8, nil},
	{9, "gateway calls per domain per hour", schemaV9, nil},
	{10, "API names folded for search", schemaV10, backfillFoldedAPINames},
	{11, "each API's stages summarised in its row", schemaV11, nil},
	{12, "access keys' last use; the operation log by time and outcome", schemaV12, nil},
	{13, "an API's visibility moves the API list's version", schemaV13, nil},
	{14, "the revision each API's RELEASE serves, and the APIs behind it", schemaV14, nil},
	{15, "a version of each account's resources", schemaV15, nil},
	{16, "a version of each account's stored traffic", schemaV16, nil},
}

// schemaV16: a version of each account's stored traffic (its groups'
// calls per hour, and the calls reserved for their public domains), moved
// by trigger as the account's version is, so that what Group Details'
// Traffic card read of the store can be kept by it (gateway.GroupTraffic).
// It is apart from the account's version: the gateway stores its counts
// every few seconds, and what is kept of the account's resources need not
// be worked out again each time. Rows of a group deleted since move
// nothing. An account without a row is at version 0, read as 1
// (trafficVersionQuery): never 0, which means "not read".
const schemaV16 = `
CREATE TABLE traffic_versions (
	account_id TEXT PRIMARY KEY,
	v          INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER domain_hourly_calls_traffic_version_insert AFTER INSERT ON domain_hourly_calls BEGIN
	INSERT INTO traffic_versions (account_id, v) SELECT account_id, 1 FROM api_groups WHERE id = NEW.group_id
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER domain_hourly_calls_traffic_version_update AFTER UPDATE ON domain_hourly_calls BEGIN
	INSERT INTO traffic_versions (account_id, v) SELECT account_id, 1 FROM api_groups WHERE id = NEW.group_id
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER domain_hourly_calls_traffic_version_delete AFTER DELETE ON domain_hourly_calls BEGIN
	INSERT INTO traffic_versions (account_id, v) SELECT account_id, 1 FROM api_groups WHERE id = OLD.group_id
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER public_call_reservations_traffic_version_insert AFTER INSERT ON public_call_reservations BEGIN
	INSERT INTO traffic_versions (account_id, v) SELECT account_id, 1 FROM api_groups WHERE id = NEW.group_id
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER public_call_reservations_traffic_version_update AFTER UPDATE ON public_call_reservations BEGIN
	INSERT INTO traffic_versions (account_id, v) SELECT account_id, 1 FROM api_groups WHERE id = NEW.group_id
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER public_call_reservations_traffic_version_delete AFTER DELETE ON public_call_reservations BEGIN
	INSERT INTO traffic_versions (account_id, v) SELECT account_id, 1 FROM api_groups WHERE id = OLD.group_id
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
`

// schemaV15: a version of each account's resources, moved by trigger in
// the transaction of every change to a row Group Details shows (the group
// and its domains, instances, VPCs and vSwitches, APIs and their
// deployments), whichever process makes it. The shared instances belong to
// no account: their rows move the version kept under the empty id, which
// every account's version includes (accountVersionQuery). What is worked
// out from those rows is kept by it (Kept).
const schemaV15 = `
CREATE TABLE account_versions (
	account_id TEXT PRIMARY KEY,
	v          INTEGER NOT NULL
) WITHOUT ROWID;
-- Every version starts above 0, which means "not read": what is kept for
-- an account that has not changed since is kept too.
INSERT INTO account_versions (account_id, v) VALUES ('', 1);

CREATE TRIGGER api_groups_account_version_insert AFTER INSERT ON api_groups BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_groups_account_version_update AFTER UPDATE ON api_groups BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
	INSERT INTO account_versions (account_id, v) SELECT OLD.account_id, 1 WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_groups_account_version_delete AFTER DELETE ON api_groups BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (OLD.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER custom_domains_account_version_insert AFTER INSERT ON custom_domains BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER custom_domains_account_version_update AFTER UPDATE ON custom_domains BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
	INSERT INTO account_versions (account_id, v) SELECT OLD.account_id, 1 WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER custom_domains_account_version_delete AFTER DELETE ON custom_domains BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (OLD.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER instances_account_version_insert AFTER INSERT ON instances BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (COALESCE(NEW.account_id, ''), 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER instances_account_version_update AFTER UPDATE ON instances BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (COALESCE(NEW.account_id, ''), 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
	INSERT INTO account_versions (account_id, v) SELECT COALESCE(OLD.account_id, ''), 1 WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER instances_account_version_delete AFTER DELETE ON instances BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (COALESCE(OLD.account_id, ''), 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER vpcs_account_version_insert AFTER INSERT ON vpcs BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER vpcs_account_version_update AFTER UPDATE ON vpcs BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
	INSERT INTO account_versions (account_id, v) SELECT OLD.account_id, 1 WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER vpcs_account_version_delete AFTER DELETE ON vpcs BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (OLD.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER vswitches_account_version_insert AFTER INSERT ON vswitches BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER vswitches_account_version_update AFTER UPDATE ON vswitches BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
	INSERT INTO account_versions (account_id, v) SELECT OLD.account_id, 1 WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER vswitches_account_version_delete AFTER DELETE ON vswitches BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (OLD.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER apis_account_version_insert AFTER INSERT ON apis BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER apis_account_version_update AFTER UPDATE ON apis BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
	INSERT INTO account_versions (account_id, v) SELECT OLD.account_id, 1 WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER apis_account_version_delete AFTER DELETE ON apis BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (OLD.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_deployments_account_version_insert AFTER INSERT ON api_deployments BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_deployments_account_version_update AFTER UPDATE ON api_deployments BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (NEW.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
	INSERT INTO account_versions (account_id, v) SELECT OLD.account_id, 1 WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_deployments_account_version_delete AFTER DELETE ON api_deployments BEGIN
	INSERT INTO account_versions (account_id, v) VALUES (OLD.account_id, 1) ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
`

// schemaV14: the revision an API's RELEASE stage serves, kept in the API's
// row by triggers on its deployments, so that the Overview finds the APIs
// whose latest changes RELEASE does not serve yet from a partial index
// that holds only them (its cost does not grow with the account's APIs).
const schemaV14 = `
ALTER TABLE apis ADD COLUMN release_revision INTEGER;
UPDATE apis SET release_revision = (SELECT d.revision FROM api_deployments d WHERE d.api_id = apis.id AND d.stage = 'RELEASE');

CREATE TRIGGER api_deployments_release_insert AFTER INSERT ON api_deployments WHEN NEW.stage = 'RELEASE' BEGIN
	UPDATE apis SET release_revision = NEW.revision WHERE id = NEW.api_id;
END;
CREATE TRIGGER api_deployments_release_update AFTER UPDATE ON api_deployments WHEN NEW.stage = 'RELEASE' OR OLD.stage = 'RELEASE' BEGIN
	UPDATE apis SET release_revision = (SELECT d.revision FROM api_deployments d WHERE d.api_id = apis.id AND d.stage = 'RELEASE')
	WHERE id IN (OLD.api_id, NEW.api_id);
END;
CREATE TRIGGER api_deployments_release_delete AFTER DELETE ON api_deployments WHEN OLD.stage = 'RELEASE' BEGIN
	UPDATE apis SET release_revision = NULL WHERE id = OLD.api_id;
END;

CREATE INDEX apis_release_behind ON apis(account_id, modified_at, id) WHERE release_revision < revision;
`

// schemaV13: DescribeApis filters by Visibility, and the API list's
// filtered totals are remembered per version (countCache), so a change of
// an API's visibility moves that version as its name and path do.
const schemaV13 = `
DROP TRIGGER apis_version_update;
CREATE TRIGGER apis_version_update AFTER UPDATE OF name, path, method, group_id, visibility ON apis BEGIN
	INSERT INTO api_list_versions (account_id, v) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
`

// schemaV12: when an access key was last used (the store writes it at most
// once a minute a key, see keyuse.go); the groups whose VPC domain is off,
// which the Overview points at (a partial index: only those rows); and
// the operation log's filters
// (action, outcome, target, each with a time range) read in the order of
// its pages, newest first by (at, seq), each from its own index: refused
// is the outcome said as a flag an index can hold.
const schemaV12 = `
ALTER TABLE access_keys ADD COLUMN last_used_at INTEGER;

ALTER TABLE op_log ADD COLUMN refused INTEGER GENERATED ALWAYS AS (outcome <> 'ok') VIRTUAL;
DROP INDEX op_log_account;
DROP INDEX op_log_account_action;
DROP INDEX op_log_account_target;
CREATE INDEX op_log_account_at ON op_log(account_id, at, seq);
CREATE INDEX op_log_account_action_at ON op_log(account_id, action, at, seq);
CREATE INDEX op_log_account_target_at ON op_log(account_id, target, at, seq);
CREATE INDEX op_log_account_refused_at ON op_log(account_id, refused, at, seq);

CREATE INDEX api_groups_vpc_off ON api_groups(account_id, created_at, id) WHERE vpc_domain_enabled = 0;
`

// schemaV11: what the API list shows of an API's stages (stage, revision,
// when, by whom) is kept in the API's row, stage_summary, by triggers on
// api_deployments in the transaction of each deployment, instead of a
// subquery per listed row: a page of 20 reads 20 rows, not 20 more
// lookups and their group_concat. The summary is one item per stage,
// stage, revision, deployed_at and deployed_by separated by char(31), the
// items by char(30) (store.parseStages reads it). The covering index
// api_deployments_summary serves the triggers.
const schemaV11 = `
ALTER TABLE apis ADD COLUMN stage_summary TEXT NOT NULL DEFAULT '';
UPDATE apis SET stage_summary = COALESCE((SELECT group_concat(d.stage || char(31) || d.revision || char(31) || d.deployed_at || char(31) || d.deployed_by, char(30))
	FROM api_deployments d WHERE d.api_id = apis.id), '');

CREATE TRIGGER api_deployments_summary_insert AFTER INSERT ON api_deployments BEGIN
	UPDATE apis SET stage_summary = COALESCE((SELECT group_concat(d.stage || char(31) || d.revision || char(31) || d.deployed_at || char(31) || d.deployed_by, char(30))
		FROM api_deployments d WHERE d.api_id = NEW.api_id), '') WHERE id = NEW.api_id;
END;
CREATE TRIGGER api_deployments_summary_update AFTER UPDATE ON api_deployments BEGIN
	UPDATE apis SET stage_summary = COALESCE((SELECT group_concat(d.stage || char(31) || d.revision || char(31) || d.deployed_at || char(31) || d.deployed_by, char(30))
		FROM api_deployments d WHERE d.api_id = NEW.api_id), '') WHERE id = NEW.api_id;
END;
CREATE TRIGGER api_deployments_summary_delete AFTER DELETE ON api_deployments BEGIN
	UPDATE apis SET stage_summary = COALESCE((SELECT group_concat(d.stage || char(31) || d.revision || char(31) || d.deployed_at || char(31) || d.deployed_by, char(30))
		FROM api_deployments d WHERE d.api_id = OLD.api_id), '') WHERE id = OLD.api_id;
END;
`

// schemaV10: the API list's name filter folds case for every letter, as the
// group search does since schemaV6 (an API name may hold any letter, as a
// group name may). APIs and their deployments keep the name folded
// (name_folded, written by the store with the name); the account's keyset
// index carries it instead of the name, so a name filter is still judged
// on the index. lower() folds ASCII; backfillFoldedAPINames the rest.
const schemaV10 = `
ALTER TABLE apis ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
UPDATE apis SET name_folded = lower(name);
ALTER TABLE api_deployments ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
UPDATE api_deployments SET name_folded = lower(name);

DROP INDEX apis_account_created;
CREATE INDEX apis_account_created ON apis(account_id, created_at, id, method, name_folded, path);
`

// backfillFoldedAPINames folds the API names, current and deployed, that
// lower() left as they were.
func backfillFoldedAPINames(ctx context.Context, tx *sql.Tx) error {
	if err := foldNameColumn(ctx, tx, "apis", "id"); err != nil {
		return err
	}
	return foldNameColumn(ctx, tx, "api_deployments", "rowid")
}

// schemaV6: name search folds case for every letter (rules.FoldName), not
// only ASCII as SQLite's LIKE does. Each group keeps its name folded
// (name_folded, written by the store with the name); the list's indexes
// carry it instead of the name, so a search is still judged on the index,
// and the filtered COUNT reads the narrowest index holding it. The ASCII
// folding of lower() fills every row; backfillFoldedNames corrects the
// names with other letters.
const schemaV6 = `
ALTER TABLE api_groups ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
UPDATE api_groups SET name_folded = lower(name);

DROP INDEX api_groups_account_created;
DROP INDEX api_groups_region_created;
DROP INDEX api_groups_account_modified;
DROP INDEX api_groups_region_modified;
CREATE INDEX api_groups_account_created ON api_groups(account_id, created_at, id, name_folded);
CREATE INDEX api_groups_region_created ON api_groups(account_id, region_id, created_at, id, name_folded);
CREATE INDEX api_groups_account_modified ON api_groups(account_id, modified_at, id, name_folded);
CREATE INDEX api_groups_region_modified ON api_groups(account_id, region_id, modified_at, id, name_folded);
CREATE INDEX api_groups_folded ON api_groups(account_id, region_id, name_folded);
`

// backfillFoldedNames folds the names that lower() left as they were: any
// name with a character outside ASCII.
func backfillFoldedNames(ctx context.Context, tx *sql.Tx) error {
	return foldNameColumn(ctx, tx, "api_groups", "id")
}

// foldNameColumn sets name_folded to rules.FoldName(name) in every row of
// table (identified by key) where it differs. table and key are constants
// of the migrations, never input.
func foldNameColumn(ctx context.Context, tx *sql.Tx, table, key string) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+key+`, name, name_folded FROM `+table)
	if err != nil {
		return err
	}
	type fix struct {
		key    any
		folded string
	}
	var fixes []fix
	for rows.Next() {
		var k any
		var name, folded string
		if err := rows.Scan(&k, &name, &folded); err != nil {
			rows.Close()
			return err
		}
		if f := rules.FoldName(name); f != folded {
			fixes = append(fixes, fix{k, f})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fixes {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET name_folded = ? WHERE `+key+` = ?`, f.folded, f.key); err != nil {
			return err
		}
	}
	return nil
}

// schemaV5: one number that every change to what a session may do moves:
// a user's role, password, login or account changed, a user removed, a
// session ended. Triggers move it inside the transaction that makes the
// change, whichever process makes it (the console, the OpenAPI endpoint,
// or the command line beside a running server), so the sessions a server
// holds in memory are served only while the number has not moved since
// they were read (see sessionCache).
const schemaV5 = `
CREATE TABLE auth_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	v  INTEGER NOT NULL
) STRICT;
INSERT INTO auth_version (id, v) VALUES (1, 1);

CREATE TRIGGER users_auth_version_update AFTER UPDATE OF role, password_hash, login, account_id ON users BEGIN
	UPDATE auth_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER users_auth_version_delete AFTER DELETE ON users BEGIN
	UPDATE auth_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER sessions_auth_version_delete AFTER DELETE ON sessions BEGIN
	UPDATE auth_version SET v = v + 1 WHERE id = 1;
END;
`

// schemaV7: the APIs of a group and their deployments (SPEC.md §6), and a
// generation number the gateway watches.
//
// An API's definition is written out in columns, the same ones in apis
// (the current definition) and api_deployments (a snapshot per stage, taken
// when it was deployed, which later changes to the API do not touch).
// protocols is "HTTP", "HTTPS" or "HTTP,HTTPS"; mock_headers holds one
// "Name: Value" line per header (the rules forbid line breaks in both).
// group_name and region_id repeat the group's, kept by trigger, so the
// list reads no group per row. route_shape is the path with its
// placeholders' names forgotten: a method
// and a shape are unique in a group (and in a group's stage). Neither table
// cascades: a deployed API, and a group holding APIs, are refused deletion
// by the rules, and the foreign keys back that up.
//
// api_counts holds each account's number of APIs (the unfiltered total of
// the list, in O(1)) and api_list_versions a version per account that every
// change to what the API list filters on moves (see countCache), both kept
// by triggers in the transaction of the change.
//
// gateway_changes numbers, by trigger, in the transaction of the change,
// every change the gateway serves from: deployments, custom domains, groups
// (creation, deletion, instance, VPC domain), instances (binding, endpoint,
// HTTPS policy, status) and VPCs (creation, deletion), whichever process
// makes it, and says what changed; its highest number is the gateway
// generation. See Store.GatewayGeneration and Store.GatewayChangesSince.
const schemaV7 = `
CREATE TABLE apis (
	id               TEXT PRIMARY KEY,
	account_id       TEXT NOT NULL REFERENCES accounts(id),
	group_id         TEXT NOT NULL REFERENCES api_groups(id),
	group_name       TEXT NOT NULL,
	region_id        TEXT NOT NULL,
	route_shape      TEXT NOT NULL,
	revision         INTEGER NOT NULL CHECK (revision >= 1),
	created_at       INTEGER NOT NULL,
	modified_at      INTEGER NOT NULL,
	name             TEXT NOT NULL,
	description      TEXT NOT NULL,
	method           TEXT NOT NULL,
	path             TEXT NOT NULL,
	protocols        TEXT NOT NULL,
	backend          TEXT NOT NULL CHECK (backend IN ('MOCK', 'HTTP')),
	mock_body        TEXT NOT NULL,
	mock_status      INTEGER NOT NULL,
	mock_headers     TEXT NOT NULL,
	service_address  TEXT NOT NULL,
	service_path     TEXT NOT NULL,
	service_method   TEXT NOT NULL,
	service_timeout  INTEGER NOT NULL,
	auth_type        TEXT NOT NULL,
	disable_internet INTEGER NOT NULL CHECK (disable_internet IN (0, 1)),
	visibility       TEXT NOT NULL,
	result_type      TEXT NOT NULL,
	result_sample    TEXT NOT NULL
) STRICT;
-- Names and routes are unique in a group (the rules word the refusal).
CREATE UNIQUE INDEX apis_group_name ON apis(group_id, name);
CREATE UNIQUE INDEX apis_group_route ON apis(group_id, method, route_shape);
-- Keyset pages of an account's APIs, newest first; the filtered columns
-- ride along so a filter is judged on the index without reading each row.
CREATE INDEX apis_account_created ON apis(account_id, created_at, id, method, name, path);
CREATE INDEX apis_group_created ON apis(group_id, created_at, id);
-- The list shows each API's group: its name and region ride in the API's
-- row, kept by this trigger in the transaction that renames the group.
CREATE TRIGGER apis_group_renamed AFTER UPDATE OF name, region_id ON api_groups BEGIN
	UPDATE apis SET group_name = NEW.name, region_id = NEW.region_id WHERE group_id = NEW.id;
END;

CREATE TABLE api_deployments (
	api_id           TEXT NOT NULL REFERENCES apis(id),
	stage            TEXT NOT NULL CHECK (stage IN ('RELEASE', 'PRE', 'TEST')),
	account_id       TEXT NOT NULL REFERENCES accounts(id),
	group_id         TEXT NOT NULL REFERENCES api_groups(id),
	api_created_at   INTEGER NOT NULL,
	route_shape      TEXT NOT NULL,
	revision         INTEGER NOT NULL,
	description      TEXT NOT NULL,
	deployed_by      TEXT NOT NULL,
	deployed_via     TEXT NOT NULL,
	deployed_at      INTEGER NOT NULL,
	name             TEXT NOT NULL,
	api_description  TEXT NOT NULL,
	method           TEXT NOT NULL,
	path             TEXT NOT NULL,
	protocols        TEXT NOT NULL,
	backend          TEXT NOT NULL CHECK (backend IN ('MOCK', 'HTTP')),
	mock_body        TEXT NOT NULL,
	mock_status      INTEGER NOT NULL,
	mock_headers     TEXT NOT NULL,
	service_address  TEXT NOT NULL,
	service_path     TEXT NOT NULL,
	service_method   TEXT NOT NULL,
	service_timeout  INTEGER NOT NULL,
	auth_type        TEXT NOT NULL,
	disable_internet INTEGER NOT NULL CHECK (disable_internet IN (0, 1)),
	visibility       TEXT NOT NULL,
	result_type      TEXT NOT NULL,
	result_sample    TEXT NOT NULL,
	PRIMARY KEY (api_id, stage)
) STRICT;
-- A stage of a group serves each method and shape once.
CREATE UNIQUE INDEX api_deployments_route ON api_deployments(group_id, stage, method, route_shape);
-- An account's deployments of a stage, in the API list's order.
CREATE INDEX api_deployments_account_stage ON api_deployments(account_id, stage, api_created_at, api_id);
-- What the API list shows of an API's stages, read without the snapshots.
CREATE INDEX api_deployments_summary ON api_deployments(api_id, stage, revision, deployed_at, deployed_by);

CREATE TABLE api_counts (
	account_id TEXT PRIMARY KEY,
	n          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TRIGGER apis_count_insert AFTER INSERT ON apis BEGIN
	INSERT INTO api_counts (account_id, n) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER apis_count_delete AFTER DELETE ON apis BEGIN
	UPDATE api_counts SET n = n - 1 WHERE account_id = OLD.account_id;
END;

CREATE TABLE api_list_versions (
	account_id TEXT PRIMARY KEY,
	v          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TRIGGER apis_version_insert AFTER INSERT ON apis BEGIN
	INSERT INTO api_list_versions (account_id, v) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER apis_version_delete AFTER DELETE ON apis BEGIN
	INSERT INTO api_list_versions (account_id, v) VALUES (OLD.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER apis_version_update AFTER UPDATE OF name, path, method, group_id ON apis BEGIN
	INSERT INTO api_list_versions (account_id, v) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_deployments_version_insert AFTER INSERT ON api_deployments BEGIN
	INSERT INTO api_list_versions (account_id, v) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_deployments_version_update AFTER UPDATE ON api_deployments BEGIN
	INSERT INTO api_list_versions (account_id, v) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_deployments_version_delete AFTER DELETE ON api_deployments BEGIN
	INSERT INTO api_list_versions (account_id, v) VALUES (OLD.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;

-- The gateway generation: one row per change the gateway serves from,
-- numbered in order (the generation is the highest number), saying what
-- changed (its kind and key), so a reader can follow the changes since its
-- snapshot instead of reading everything again. At least the last 65,536
-- are kept: every 4,096th change prunes the older ones.
CREATE TABLE gateway_changes (
	v    INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	key  TEXT NOT NULL
) STRICT;
CREATE TRIGGER gateway_changes_prune AFTER INSERT ON gateway_changes WHEN NEW.v % 4096 = 0 BEGIN
	DELETE FROM gateway_changes WHERE v <= NEW.v - 65536;
END;
CREATE TRIGGER gen_deployments_insert AFTER INSERT ON api_deployments BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('deployment', NEW.group_id);
END;
CREATE TRIGGER gen_deployments_update AFTER UPDATE ON api_deployments BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('deployment', NEW.group_id);
END;
CREATE TRIGGER gen_deployments_delete AFTER DELETE ON api_deployments BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('deployment', OLD.group_id);
END;
CREATE TRIGGER gen_domains_insert AFTER INSERT ON custom_domains BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('domain', NEW.name);
END;
CREATE TRIGGER gen_domains_update AFTER UPDATE ON custom_domains BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('domain', NEW.name);
END;
CREATE TRIGGER gen_domains_delete AFTER DELETE ON custom_domains BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('domain', OLD.name);
END;
CREATE TRIGGER gen_groups_insert AFTER INSERT ON api_groups BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('group', NEW.id);
END;
CREATE TRIGGER gen_groups_update AFTER UPDATE OF account_id, region_id, instance_id, vpc_domain_enabled ON api_groups BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('group', NEW.id);
END;
CREATE TRIGGER gen_groups_delete AFTER DELETE ON api_groups BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('group', OLD.id);
END;
CREATE TRIGGER gen_instances_insert AFTER INSERT ON instances BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('instance', NEW.id);
END;
CREATE TRIGGER gen_instances_update AFTER UPDATE OF vpc_id, vswitch_id, endpoint_ip, https_policy, status ON instances BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('instance', NEW.id);
END;
CREATE TRIGGER gen_instances_delete AFTER DELETE ON instances BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('instance', OLD.id);
END;
CREATE TRIGGER gen_vpcs_insert AFTER INSERT ON vpcs BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('vpc', NEW.id);
END;
CREATE TRIGGER gen_vpcs_delete AFTER DELETE ON vpcs BEGIN
	INSERT INTO gateway_changes (kind, key) VALUES ('vpc', OLD.id);
END;
`

// schemaV4: a version per account that every change to the set of its
// groups or to what the list filters on (name, region, instance) moves,
// kept by triggers inside the transaction that makes the change. A
// filtered total (a name search) counted at one version stays right until
// the version moves, so the store remembers it (see countCache).
const schemaV4 = `
CREATE TABLE group_list_versions (
	account_id TEXT PRIMARY KEY,
	v          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TRIGGER api_groups_version_insert AFTER INSERT ON api_groups BEGIN
	INSERT INTO group_list_versions (account_id, v) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_groups_version_delete AFTER DELETE ON api_groups BEGIN
	INSERT INTO group_list_versions (account_id, v) VALUES (OLD.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
CREATE TRIGGER api_groups_version_update AFTER UPDATE OF account_id, region_id, instance_id, name ON api_groups BEGIN
	INSERT INTO group_list_versions (account_id, v) VALUES (OLD.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
	INSERT INTO group_list_versions (account_id, v) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET v = v + 1;
END;
`

// schemaV3: a session also ends when unused for a while, decided by the
// server (idle_until), not only by the time the cookie remembers.
const schemaV3 = `
ALTER TABLE sessions ADD COLUMN idle_until INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET idle_until = expires_at;
`

// schemaV2: server-side console sessions, so logout ends a session even
// for a copy of its cookie. The id column holds the SHA-256 of the token the
// cookie carries, so the database alone opens no session.
const schemaV2 = `
CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);
`

// schemaV1: every table of SPEC.md §1. Times are integer nanoseconds since
// the epoch, UTC. Indexes serve the console's filters (see groups.go) and
// the child side of every foreign key.
const schemaV1 = `
CREATE TABLE regions (
	id       TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	mainland INTEGER NOT NULL,
	position INTEGER NOT NULL
) STRICT;

CREATE TABLE zones (
	id        TEXT PRIMARY KEY,
	region_id TEXT NOT NULL REFERENCES regions(id),
	position  INTEGER NOT NULL
) STRICT;
CREATE INDEX zones_region ON zones(region_id, position);

CREATE TABLE accounts (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	account_id    TEXT NOT NULL REFERENCES accounts(id),
	login         TEXT NOT NULL COLLATE NOCASE UNIQUE,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX users_account ON users(account_id, login);

CREATE TABLE access_keys (
	id            TEXT PRIMARY KEY,
	account_id    TEXT NOT NULL REFERENCES accounts(id),
	user_id       INTEGER NOT NULL REFERENCES users(id),
	secret_sealed BLOB NOT NULL,
	enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX access_keys_account ON access_keys(account_id, created_at);
CREATE INDEX access_keys_user ON access_keys(user_id);

CREATE TABLE vpcs (
	id          TEXT PRIMARY KEY,
	account_id  TEXT NOT NULL REFERENCES accounts(id),
	region_id   TEXT NOT NULL REFERENCES regions(id),
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	cidr        TEXT NOT NULL,
	created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX vpcs_account_region ON vpcs(account_id, region_id, created_at);

CREATE TABLE vswitches (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts(id),
	vpc_id     TEXT NOT NULL REFERENCES vpcs(id),
	zone_id    TEXT NOT NULL REFERENCES zones(id),
	name       TEXT NOT NULL,
	cidr       TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX vswitches_vpc ON vswitches(vpc_id, created_at);
CREATE INDEX vswitches_account ON vswitches(account_id, created_at);

-- Shared instances have no account; a dedicated instance has at most one
-- VPC binding, held in its own row so that changing it is one UPDATE (R6).
CREATE TABLE instances (
	id           TEXT PRIMARY KEY,
	type         TEXT NOT NULL CHECK (type IN ('VPC_SHARED', 'VPC_DEDICATED')),
	account_id   TEXT REFERENCES accounts(id),
	region_id    TEXT NOT NULL REFERENCES regions(id),
	zone_id      TEXT NOT NULL,
	name         TEXT NOT NULL,
	spec         TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL,
	https_policy TEXT NOT NULL,
	vpc_id       TEXT REFERENCES vpcs(id),
	vswitch_id   TEXT REFERENCES vswitches(id),
	endpoint_ip  TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	CHECK ((type = 'VPC_SHARED') = (account_id IS NULL)),
	CHECK ((vpc_id IS NULL) = (vswitch_id IS NULL)),
	CHECK (type = 'VPC_DEDICATED' OR vpc_id IS NULL)
) STRICT;
CREATE INDEX instances_account_region ON instances(account_id, region_id, created_at);
CREATE INDEX instances_region ON instances(region_id, type);
CREATE INDEX instances_vpc ON instances(vpc_id);
CREATE INDEX instances_vswitch ON instances(vswitch_id);

-- "groups" is an SQL keyword; the table is api_groups.
CREATE TABLE api_groups (
	id                 TEXT PRIMARY KEY,
	account_id         TEXT NOT NULL REFERENCES accounts(id),
	region_id          TEXT NOT NULL REFERENCES regions(id),
	instance_id        TEXT NOT NULL REFERENCES instances(id),
	name               TEXT NOT NULL,
	description        TEXT NOT NULL DEFAULT '',
	vpc_domain_enabled INTEGER NOT NULL DEFAULT 0 CHECK (vpc_domain_enabled IN (0, 1)),
	created_at         INTEGER NOT NULL,
	modified_at        INTEGER NOT NULL
) STRICT;
-- R1 backstop: a name is unique per account per region.
CREATE UNIQUE INDEX api_groups_name ON api_groups(account_id, region_id, name);
-- Keyset pagination, newest or oldest first (SQLite scans an index either
-- way); the name rides along so a keyword filter is judged on the index
-- without reading each row.
CREATE INDEX api_groups_account_created ON api_groups(account_id, created_at, id, name);
CREATE INDEX api_groups_region_created ON api_groups(account_id, region_id, created_at, id, name);
CREATE INDEX api_groups_account_modified ON api_groups(account_id, modified_at, id, name);
CREATE INDEX api_groups_region_modified ON api_groups(account_id, region_id, modified_at, id, name);
-- Groups on an instance (R7 reads the VPC-enabled ones), group counts.
CREATE INDEX api_groups_instance ON api_groups(instance_id, account_id, vpc_domain_enabled);

-- The unfiltered total of the group list in O(1), kept by triggers inside
-- the transaction that inserts or deletes the group.
CREATE TABLE group_counts (
	account_id TEXT NOT NULL,
	region_id  TEXT NOT NULL,
	n          INTEGER NOT NULL,
	PRIMARY KEY (account_id, region_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER api_groups_count_insert AFTER INSERT ON api_groups BEGIN
	INSERT INTO group_counts (account_id, region_id, n) VALUES (NEW.account_id, NEW.region_id, 1)
	ON CONFLICT (account_id, region_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER api_groups_count_delete AFTER DELETE ON api_groups BEGIN
	UPDATE group_counts SET n = n - 1 WHERE account_id = OLD.account_id AND region_id = OLD.region_id;
END;
CREATE TRIGGER api_groups_count_update AFTER UPDATE OF account_id, region_id ON api_groups
WHEN OLD.account_id <> NEW.account_id OR OLD.region_id <> NEW.region_id BEGIN
	UPDATE group_counts SET n = n - 1 WHERE account_id = OLD.account_id AND region_id = OLD.region_id;
	INSERT INTO group_counts (account_id, region_id, n) VALUES (NEW.account_id, NEW.region_id, 1)
	ON CONFLICT (account_id, region_id) DO UPDATE SET n = n + 1;
END;

-- A custom domain name is unique across the whole system.
CREATE TABLE custom_domains (
	name         TEXT PRIMARY KEY,
	account_id   TEXT NOT NULL REFERENCES accounts(id),
	group_id     TEXT NOT NULL REFERENCES api_groups(id) ON DELETE CASCADE,
	network_type TEXT NOT NULL CHECK (network_type IN ('INTERNET', 'INTRANET')),
	cert_name    TEXT NOT NULL DEFAULT '',
	cert_pem     TEXT NOT NULL DEFAULT '',
	key_sealed   BLOB,
	cert_expires INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX custom_domains_group ON custom_domains(group_id, network_type, name);
CREATE INDEX custom_domains_account ON custom_domains(account_id);

-- The operation log. account_id is '' for events without an account (a
-- failed login of an unknown user). AUTOINCREMENT: a seq is never reused.
CREATE TABLE op_log (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id TEXT NOT NULL,
	actor      TEXT NOT NULL,
	source     TEXT NOT NULL,
	action     TEXT NOT NULL,
	target     TEXT NOT NULL,
	outcome    TEXT NOT NULL,
	detail     TEXT NOT NULL,
	at         INTEGER NOT NULL
) STRICT;
CREATE INDEX op_log_account ON op_log(account_id, seq);
CREATE INDEX op_log_account_action ON op_log(account_id, action, seq);
CREATE INDEX op_log_account_target ON op_log(account_id, target, seq);
`

// LatestSchemaVersion is the version this binary migrates to.
func LatestSchemaVersion() int { return migrations[len(migrations)-1].version }

// Migrate applies pending migrations, each in its own transaction with its
// version recorded in schema_migrations, then brings the seeded catalogue
// (regions, zones, shared instances) in line with rules.Regions(). It is
// idempotent and forward-only: a database newer than this binary is an
// error. Safe to run from several processes at once (each step re-checks
// its version inside its BEGIN IMMEDIATE transaction).
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.migrateTo(ctx, LatestSchemaVersion()); err != nil {
		return err
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return seedCatalogue(ctx, tx, s.now()) }); err != nil {
		return fmt.Errorf("store: seed catalogue: %w", err)
	}
	return nil
}

// migrateTo applies the pending migrations up to version (tests stop
// short of the latest to build an older database).
func (s *Store) migrateTo(ctx context.Context, version int) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	cur, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if cur > LatestSchemaVersion() {
		return fmt.Errorf("store: migrate: database schema version %d is newer than this binary's %d", cur, LatestSchemaVersion())
	}
	for _, m := range migrations {
		if m.version <= cur || m.version > version {
			continue
		}
		err := s.write(ctx, func(tx *sql.Tx) error {
			var done int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if m.backfill != nil {
				if err := m.backfill(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, unixNano(s.now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migrate to version %d (%s): %w", m.version, m.name, err)
		}
	}
	if _, err := s.gen.load(ctx, s.w); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// SchemaVersion is the highest migration applied, 0 for a new database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// seedCatalogue upserts regions and zones from rules.Regions() and the
// shared instances from rules.SharedInstances(). Existing rows keep their
// ids; only display names follow the catalogue (a shared instance never
// changes region, its groups depend on it).
func seedCatalogue(ctx context.Context, tx *sql.Tx, now time.Time) error {
	for pos, r := range rules.Regions() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO regions (id, name, mainland, position) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, mainland = excluded.mainland, position = excluded.position`,
			r.ID, r.Name, r.Mainland, pos); err != nil {
			return err
		}
		for zpos, z := range r.Zones {
			if _, err := tx.ExecContext(ctx, `INSERT INTO zones (id, region_id, position) VALUES (?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET position = excluded.position`, z, r.ID, zpos); err != nil {
				return err
			}
		}
	}
	for _, in := range rules.SharedInstances() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO instances
			(id, type, account_id, region_id, zone_id, name, spec, status, https_policy, created_at)
			VALUES (?, 'VPC_SHARED', NULL, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
			in.ID, in.RegionID, in.ZoneID, in.Name, in.Spec, in.Status, in.HTTPSPolicy, unixNano(now)); err != nil {
			return err
		}
	}
	return nil
}
