// Package paths names every console URL in one place. Routes, handlers and
// templates all build links from here, so a path is spelled once.
package paths

import "net/url"

// Fixed pages.
const (
	Home            = "/"
	Login           = "/login"
	Logout          = "/logout"
	Groups          = "/groups"
	GroupNew        = "/groups/new"
	APIs            = "/apis"
	APINew          = "/apis/new"
	Instances       = "/instances"
	InstanceNew     = "/instances/new"
	SharedInstances = "/shared-instances"
	Vpcs            = "/vpcs"
	VpcNew          = "/vpcs/new"
	Access          = "/access"
	OpLog           = "/oplog"
	Calls           = "/calls" // Recent calls
	AccessKeys      = "/accesskeys"
	AccessKeyNew    = "/accesskeys/new"
	Users           = "/users"
	Password        = "/password" // the user's own password
	Healthz         = "/healthz"
)

// Group is the Group Details page; the helpers below are its actions.
func Group(id string) string                  { return Groups + "/" + url.PathEscape(id) }
func GroupAction(id, action string) string    { return Group(id) + "/" + action }
func API(id string) string                    { return APIs + "/" + url.PathEscape(id) }
func APIAction(id, action string) string      { return API(id) + "/" + action }
func Instance(id string) string               { return Instances + "/" + url.PathEscape(id) }
func InstanceAction(id, action string) string { return Instance(id) + "/" + action }
func Vpc(id string) string                    { return Vpcs + "/" + url.PathEscape(id) }
func VpcAction(id, action string) string      { return Vpc(id) + "/" + action }
func AccessKey(id string) string              { return AccessKeys + "/" + url.PathEscape(id) }
func User(login string) string                { return Users + "/" + url.PathEscape(login) }
func UserAction(login, action string) string  { return User(login) + "/" + action }

// WithQuery appends a query string when it is not empty.
func WithQuery(path string, q url.Values) string {
	if enc := q.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// InstanceBindFromGroup opens an instance's Bind to VPC dialog from Group
// Details, coming back to the group when done.
func InstanceBindFromGroup(instanceID, groupID string) string {
	return WithQuery(InstanceAction(instanceID, "bind"), url.Values{"next": {Group(groupID)}})
}

// APIStageAction is an action on one stage of an API (abolish).
func APIStageAction(id, stage, action string) string {
	return API(id) + "/stages/" + url.PathEscape(stage) + "/" + action
}

// APIDeployTo opens an API's Deploy dialog with a stage chosen ("" for
// none).
func APIDeployTo(id, stage string) string {
	if stage == "" {
		return APIAction(id, "deploy")
	}
	return WithQuery(APIAction(id, "deploy"), url.Values{"stage": {stage}})
}

// APINewInGroup opens Create API with a group chosen.
func APINewInGroup(groupID string) string {
	return WithQuery(APINew, url.Values{"group": {groupID}})
}

// APIsOfGroup is the APIs list filtered by a group.
func APIsOfGroup(groupID string) string {
	return WithQuery(APIs, url.Values{"group": {groupID}})
}

// CallsOfGroup is Recent calls filtered by a group.
func CallsOfGroup(groupID string) string {
	return WithQuery(Calls, url.Values{"group": {groupID}})
}

// APIDebug is where an API's Debug panel posts.
func APIDebug(id string) string { return APIAction(id, "debug") }
