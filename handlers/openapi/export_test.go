package openapi

// ServedActions lists the actions of a version as the endpoint serves them:
// name → whether it is refused to viewers as a change.
func ServedActions(version string) map[string]bool {
	table := map[string][]*action{VersionCloudAPI: cloudAPIActions, VersionVPC: vpcActions}[version]
	out := make(map[string]bool, len(table))
	for _, a := range table {
		out[a.name] = a.mutates
	}
	return out
}
