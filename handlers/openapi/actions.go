package openapi

import "gatehouse/rules"

// The actions served, by version. README.md's "OpenAPI endpoint" section
// lists them with their parameters; keep the two in step.

// cloudAPIActions are API Gateway's (Version 2016-07-14), Gatehouse's access
// check included.
var cloudAPIActions = []*action{
	{name: "DescribeRegions", serve: describeRegions},

	{name: "CreateApiGroup", mutates: true, opName: rules.ActionCreateApiGroup, target: "GroupName", serve: createApiGroup},
	{name: "DescribeApiGroups", serve: describeApiGroups},
	{name: "DescribeApiGroup", serve: describeApiGroup},
	{name: "ModifyApiGroup", mutates: true, opName: rules.ActionModifyApiGroup, target: "GroupId", serve: modifyApiGroup},
	{name: "DeleteApiGroup", mutates: true, opName: rules.ActionDeleteApiGroup, target: "GroupId", serve: deleteApiGroup},
	{name: "CreateIntranetDomain", mutates: true, opName: rules.ActionEnableVpcDomain, target: "GroupId", serve: createIntranetDomain},
	{name: "ModifyIntranetDomainPolicy", mutates: true, opName: rules.ActionModifyIntranetDomainPolicy, target: "GroupId", serve: modifyIntranetDomainPolicy},
	{name: "ModifyApiGroupInstance", mutates: true, opName: rules.ActionMoveGroup, target: "GroupId", serve: modifyApiGroupInstance},

	{name: "DescribeInstances", serve: describeInstances},
	{name: "CreateInstance", mutates: true, opName: rules.ActionCreateInstance, target: "InstanceName", serve: createInstance},
	{name: "ModifyInstanceAttribute", mutates: true, opName: rules.ActionModifyInstance, target: "InstanceId", serve: modifyInstanceAttribute},
	{name: "DeleteInstance", mutates: true, opName: rules.ActionDeleteInstance, target: "InstanceId", serve: deleteInstance},
	{name: "ModifyInstanceVpcAttributeForConsole", mutates: true, opName: rules.ActionModifyInstanceVpcAttribute, target: "InstanceId", serve: modifyInstanceVpcAttributeForConsole},

	{name: "SetDomain", mutates: true, opName: rules.ActionBindDomain, target: "DomainName", serve: setDomain},
	{name: "DescribeDomain", serve: describeDomain},
	{name: "DeleteDomain", mutates: true, opName: rules.ActionUnbindDomain, target: "DomainName", serve: deleteDomain},
	{name: "SetDomainCertificate", mutates: true, opName: rules.ActionSetDomainCertificate, target: "DomainName", serve: setDomainCertificate},
	{name: "DeleteDomainCertificate", mutates: true, opName: rules.ActionDeleteDomainCertificate, target: "DomainName", serve: deleteDomainCertificate},

	{name: "CreateApi", mutates: true, opName: rules.ActionCreateApi, target: "ApiName", serve: createApi},
	{name: "ModifyApi", mutates: true, opName: rules.ActionModifyApi, target: "ApiId", serve: modifyApi},
	{name: "DeleteApi", mutates: true, opName: rules.ActionDeleteApi, target: "ApiId", serve: deleteApi},
	{name: "DescribeApi", serve: describeApi},
	{name: "DescribeApis", serve: describeApis},
	{name: "DeployApi", mutates: true, opName: rules.ActionDeployApi, target: "ApiId", serve: deployApi},
	{name: "AbolishApi", mutates: true, opName: rules.ActionAbolishApi, target: "ApiId", serve: abolishApi},
	{name: "DescribeDeployedApis", serve: describeDeployedApis},
	{name: "DescribeDeployedApi", serve: describeDeployedApi},

	{name: "DescribeVpcAccessDecision", serve: describeVpcAccessDecision},
}

// vpcActions are the VPC API's (Version 2016-04-28).
var vpcActions = []*action{
	{name: "DescribeZones", serve: describeZones},
	{name: "CreateVpc", mutates: true, opName: rules.ActionCreateVpc, target: "VpcName", serve: createVpc},
	{name: "DescribeVpcs", serve: describeVpcs},
	{name: "DeleteVpc", mutates: true, opName: rules.ActionDeleteVpc, target: "VpcId", serve: deleteVpc},
	{name: "CreateVSwitch", mutates: true, opName: rules.ActionCreateVSwitch, target: "VSwitchName", serve: createVSwitch},
	{name: "DescribeVSwitches", serve: describeVSwitches},
	{name: "DeleteVSwitch", mutates: true, opName: rules.ActionDeleteVSwitch, target: "VSwitchId", serve: deleteVSwitch},
}
