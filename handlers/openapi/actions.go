package openapi

// The actions served, by version. README.md's "OpenAPI endpoint" section
// lists them with their parameters; keep the two in step.

// cloudAPIActions are API Gateway's (Version 2016-07-14), Gatehouse's access
// check included.
var cloudAPIActions = []*action{
	{name: "DescribeRegions", serve: describeRegions},

	{name: "CreateApiGroup", mutates: true, opName: "CreateApiGroup", target: "GroupName", serve: createApiGroup},
	{name: "DescribeApiGroups", serve: describeApiGroups},
	{name: "DescribeApiGroup", serve: describeApiGroup},
	{name: "ModifyApiGroup", mutates: true, opName: "ModifyApiGroup", target: "GroupId", serve: modifyApiGroup},
	{name: "DeleteApiGroup", mutates: true, opName: "DeleteApiGroup", target: "GroupId", serve: deleteApiGroup},
	{name: "CreateIntranetDomain", mutates: true, opName: "EnableVpcDomain", target: "GroupId", serve: createIntranetDomain},
	{name: "ModifyIntranetDomainPolicy", mutates: true, opName: "ModifyIntranetDomainPolicy", target: "GroupId", serve: modifyIntranetDomainPolicy},
	{name: "ModifyApiGroupInstance", mutates: true, opName: "MoveGroup", target: "GroupId", serve: modifyApiGroupInstance},

	{name: "DescribeInstances", serve: describeInstances},
	{name: "CreateInstance", mutates: true, opName: "CreateInstance", target: "InstanceName", serve: createInstance},
	{name: "DeleteInstance", mutates: true, opName: "DeleteInstance", target: "InstanceId", serve: deleteInstance},
	{name: "ModifyInstanceVpcAttributeForConsole", mutates: true, opName: "ModifyInstanceVpcAttributeForConsole", target: "InstanceId", serve: modifyInstanceVpcAttributeForConsole},

	{name: "SetDomain", mutates: true, opName: "BindDomain", target: "DomainName", serve: setDomain},
	{name: "DescribeDomain", serve: describeDomain},
	{name: "DeleteDomain", mutates: true, opName: "UnbindDomain", target: "DomainName", serve: deleteDomain},
	{name: "SetDomainCertificate", mutates: true, opName: "SetDomainCertificate", target: "DomainName", serve: setDomainCertificate},
	{name: "DeleteDomainCertificate", mutates: true, opName: "DeleteDomainCertificate", target: "DomainName", serve: deleteDomainCertificate},

	{name: "CreateApi", mutates: true, opName: "CreateApi", target: "ApiName", serve: createApi},
	{name: "ModifyApi", mutates: true, opName: "ModifyApi", target: "ApiId", serve: modifyApi},
	{name: "DeleteApi", mutates: true, opName: "DeleteApi", target: "ApiId", serve: deleteApi},
	{name: "DescribeApi", serve: describeApi},
	{name: "DescribeApis", serve: describeApis},
	{name: "DeployApi", mutates: true, opName: "DeployApi", target: "ApiId", serve: deployApi},
	{name: "AbolishApi", mutates: true, opName: "AbolishApi", target: "ApiId", serve: abolishApi},
	{name: "DescribeDeployedApis", serve: describeDeployedApis},
	{name: "DescribeDeployedApi", serve: describeDeployedApi},

	{name: "DescribeVpcAccessDecision", serve: describeVpcAccessDecision},
}

// vpcActions are the VPC API's (Version 2016-04-28).
var vpcActions = []*action{
	{name: "DescribeZones", serve: describeZones},
	{name: "CreateVpc", mutates: true, opName: "CreateVpc", target: "VpcName", serve: createVpc},
	{name: "DescribeVpcs", serve: describeVpcs},
	{name: "DeleteVpc", mutates: true, opName: "DeleteVpc", target: "VpcId", serve: deleteVpc},
	{name: "CreateVSwitch", mutates: true, opName: "CreateVSwitch", target: "VSwitchName", serve: createVSwitch},
	{name: "DescribeVSwitches", serve: describeVSwitches},
	{name: "DeleteVSwitch", mutates: true, opName: "DeleteVSwitch", target: "VSwitchId", serve: deleteVSwitch},
}
