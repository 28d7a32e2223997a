// The acceptance flow of issue 12 in Node: Alibaba Cloud's current Node SDKs
// (@alicloud/cloudapi20160714 and @alicloud/vpc20160428, on
// @alicloud/openapi-core, which sign with V3 by default), set up with only
// endpoint, protocol and the keys, against a running `gatehouse serve`.
//
// handlers/openapi/sdk_node_test.go starts the server and runs this script:
//
//   GATEHOUSE_API=127.0.0.1:PORT   the OpenAPI endpoint
//   GATEHOUSE_KEYS={"alice":{"id":…,"secret":…},"victor":…,"rita":…}
//                                  acme's admin and viewer, rival's admin
//   GATEHOUSE_OWNER_ID=…           acme's account id (VpcOwnerId)
//
// It prints a line per step and, last, a JSON line with the ids it made;
// any failure throws, and the exit status is 1.
'use strict';

const assert = require('node:assert/strict');
const CloudAPI = require('@alicloud/cloudapi20160714');
const VPC = require('@alicloud/vpc20160428');
const OpenApi = require('@alicloud/openapi-core');
const sdkUtils = require('@alicloud/openapi-core/dist/utils').default;
const { RuntimeOptions } = require('@darabonba/typescript');

const endpoint = process.env.GATEHOUSE_API;
const keys = JSON.parse(process.env.GATEHOUSE_KEYS || '{}');
const ownerId = process.env.GATEHOUSE_OWNER_ID;
assert.ok(endpoint && keys.alice && keys.victor && keys.rita && ownerId, 'GATEHOUSE_API, GATEHOUSE_KEYS and GATEHOUSE_OWNER_ID are needed');
const region = 'cn-hangzhou';

// config is all a user sets: the endpoint, the protocol and the key.
function config(key) {
  return new OpenApi.$OpenApiUtil.Config({ accessKeyId: key.id, accessKeySecret: key.secret, endpoint, protocol: 'http' });
}
function clients(key) {
  return { api: new CloudAPI.default(config(key)), vpc: new VPC.default(config(key)) };
}

function step(what) { console.log('ok ' + what); }

// refused awaits a call that must fail with code and status, and returns
// the SDK's error.
async function refused(what, promise, code, status) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${what}: succeeded, want ${code}`);
  assert.equal(err.code, code, `${what}: ${err.code} (${err.statusCode}): ${err.message}`);
  assert.equal(err.statusCode, status, `${what}: HTTP ${err.statusCode}, want ${status}`);
  assert.ok(err.data && err.data.RequestId, `${what}: no RequestId in ${JSON.stringify(err.data)}`);
  step(`${what}: ${code}`);
  return err;
}

// callApi calls an action the typed client lacks, as the SDK's generic
// client does, with the V3 signature.
async function callApi(api, action, query) {
  const params = new OpenApi.$OpenApiUtil.Params({
    action, version: '2016-07-14', protocol: 'HTTP', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const req = new OpenApi.$OpenApiUtil.OpenApiRequest({ query: OpenApi.OpenApiUtil.query(query) });
  return (await api.callApi(params, req, new RuntimeOptions({}))).body;
}

async function main() {
  const admin = clients(keys.alice);
  const { api, vpc } = admin;

  // Catalogue.
  const regions = await api.describeRegions(new CloudAPI.DescribeRegionsRequest({}));
  const hz = regions.body.regions.region.find((r) => r.regionId === region);
  assert.ok(hz && hz.regionEndpoint === endpoint, JSON.stringify(regions.body));
  const zones = await vpc.describeZones(new VPC.DescribeZonesRequest({ regionId: region }));
  assert.equal(zones.body.zones.zone[0].zoneId, 'cn-hangzhou-g');
  step('DescribeRegions, DescribeZones');

  // A VPC and a vSwitch.
  const madeVpc = await vpc.createVpc(new VPC.CreateVpcRequest({
    regionId: region, cidrBlock: '10.50.0.0/16', vpcName: 'node-vpc', description: 'made by the current Node SDK',
  }));
  const vpcId = madeVpc.body.vpcId;
  assert.match(vpcId, /^vpc-/);
  const madeVsw = await vpc.createVSwitch(new VPC.CreateVSwitchRequest({
    regionId: region, vpcId, zoneId: 'cn-hangzhou-g', cidrBlock: '10.50.1.0/24', vSwitchName: 'node-vsw',
  }));
  const vswId = madeVsw.body.vSwitchId;
  assert.match(vswId, /^vsw-/);
  const vpcs = await vpc.describeVpcs(new VPC.DescribeVpcsRequest({ regionId: region, vpcId }));
  assert.equal(vpcs.body.totalCount, 1);
  assert.equal(vpcs.body.vpcs.vpc[0].cidrBlock, '10.50.0.0/16');
  assert.deepEqual(vpcs.body.vpcs.vpc[0].vSwitchIds.vSwitchId, [vswId]);
  const vsws = await vpc.describeVSwitches(new VPC.DescribeVSwitchesRequest({ regionId: region, vpcId }));
  assert.equal(vsws.body.totalCount, 1);
  assert.equal(vsws.body.vSwitches.vSwitch[0].availableIpAddressCount, 252);
  step('CreateVpc, CreateVSwitch, DescribeVpcs, DescribeVSwitches');

  // Groups on the region's shared instance (the V3 SDKs send no region:
  // the instance says which), listed with paging, a keyword and an order.
  const groups = {};
  for (const name of ['node_orders', 'node_billing', 'node_users', 'unrelated']) {
    const res = await api.createApiGroup(new CloudAPI.CreateApiGroupRequest({
      groupName: name, description: `Group ${name} from Node.`, instanceId: 'api-shared-vpc-001',
    }));
    assert.equal(res.body.groupName, name);
    assert.equal(res.body.instanceType, 'VPC_SHARED');
    groups[name] = res.body.groupId;
  }
  const orders = groups.node_orders;
  const list = async (q) => (await api.describeApiGroups(new CloudAPI.DescribeApiGroupsRequest(q))).body;
  const names = (page) => page.apiGroupAttributes.apiGroupAttribute.map((g) => g.groupName);
  let page = await list({ groupName: 'node_', pageNumber: 1, pageSize: 2 });
  assert.equal(page.totalCount, 3);
  assert.deepEqual(names(page), ['node_users', 'node_billing']);
  page = await list({ groupName: 'node_', pageNumber: 2, pageSize: 2 });
  assert.deepEqual(names(page), ['node_orders']);
  page = await list({ groupName: 'NODE_', sort: 'asc' });
  assert.equal(page.pageSize, 10);
  assert.deepEqual(names(page), ['node_orders', 'node_billing', 'node_users']);
  page = await list({ pageSize: 500 });
  assert.equal(page.pageSize, 50);
  assert.equal(page.totalCount, 4);
  page = await list({ groupId: orders });
  assert.deepEqual(names(page), ['node_orders']);
  page = await list({ instanceId: 'api-shared-vpc-001', groupName: 'unrel' });
  assert.deepEqual(names(page), ['unrelated']);
  step('CreateApiGroup, DescribeApiGroups (pages, keyword, order, filters)');
  const modified = await api.modifyApiGroup(new CloudAPI.ModifyApiGroupRequest({ groupId: orders, description: 'Orders, described again.' }));
  assert.equal(modified.body.description, 'Orders, described again.');

  // The VPC second-level domain on the shared instance.
  const vpcDomain = (await api.createIntranetDomain(new CloudAPI.CreateIntranetDomainRequest({ groupId: orders }))).body.domainName;
  assert.match(vpcDomain, /-cn-hangzhou-vpc\./);
  await api.modifyIntranetDomainPolicy(new CloudAPI.ModifyIntranetDomainPolicyRequest({ groupId: orders, vpcIntranetEnable: true }));
  step('ModifyApiGroup, CreateIntranetDomain, ModifyIntranetDomainPolicy');

  // A dedicated instance; R8 and R5 while it is unbound.
  const inst = (await api.createInstance(new CloudAPI.CreateInstanceRequest({
    instanceName: 'node-gateway', instanceSpec: 'api.s1.small', zoneId: 'cn-hangzhou-g', httpsPolicy: 'HTTPS2_TLS1_2', chargeType: 'PostPaid',
  }))).body.instanceId;
  assert.match(inst, /^apigateway-/);
  const move = (client, groupId, target) => client.modifyApiGroupInstance(new CloudAPI.ModifyApiGroupInstanceRequest({
    groupId, targetInstanceId: target, remark: 'moved by the Node test',
  }));
  let err = await refused('R8: move to an unbound dedicated instance', move(api, orders, inst), 'InstanceNotBoundToVpc', 400);
  assert.match(err.message, /bound to/);
  const dedicated = (await api.createApiGroup(new CloudAPI.CreateApiGroupRequest({ groupName: 'node_dedicated', instanceId: inst }))).body;
  assert.equal(dedicated.instanceType, 'VPC_DEDICATED');
  groups.node_dedicated = dedicated.groupId;
  await refused('R5: the VPC domain on an unbound dedicated instance',
    api.createIntranetDomain(new CloudAPI.CreateIntranetDomainRequest({ groupId: dedicated.groupId })), 'InstanceNotBoundToVpc', 400);

  // Bind to VPC, move the group, ask the access check.
  await api.modifyInstanceVpcAttributeForConsole(new CloudAPI.ModifyInstanceVpcAttributeForConsoleRequest({
    instanceId: inst, vpcId, vswitchId: vswId, vpcOwnerId: Number(ownerId), token: 'node-token-1',
  }));
  await move(api, orders, inst);
  const decision = await callApi(api, 'DescribeVpcAccessDecision', {
    CallerType: 'vpc', CallerVpcId: vpcId, DomainName: vpcDomain, Protocol: 'HTTPS',
  });
  assert.equal(decision.Allowed, true, JSON.stringify(decision));
  assert.equal(decision.Rule, 'R4');
  assert.match(decision.Address, /^10\.50\.1\./);
  err = await refused('R7: unbind the VPC in use', api.modifyInstanceVpcAttributeForConsole(
    new CloudAPI.ModifyInstanceVpcAttributeForConsoleRequest({ instanceId: inst, deleteVpcAccess: true })), 'InstanceVpcInUse', 400);
  assert.match(err.message, /node_orders/);
  step('ModifyInstanceVpcAttributeForConsole (bind), ModifyApiGroupInstance, DescribeVpcAccessDecision');

  // A custom domain on the VPC domain.
  const custom = 'api.node-test.example.com';
  const bound = (await api.setDomain(new CloudAPI.SetDomainRequest({ groupId: orders, domainName: custom, customDomainType: 'INTRANET' }))).body;
  assert.equal(bound.subDomain, vpcDomain);
  const dom = (await api.describeDomain(new CloudAPI.DescribeDomainRequest({ groupId: orders, domainName: custom }))).body;
  assert.equal(dom.domainName, custom);
  assert.equal(dom.subDomain, vpcDomain);
  const group = (await api.describeApiGroup(new CloudAPI.DescribeApiGroupRequest({ groupId: orders }))).body;
  assert.equal(group.instanceId, inst);
  assert.equal(group.vpcDomain, vpcDomain);
  assert.equal(group.httpsPolicy, 'HTTPS2_TLS1_2');
  assert.equal(group.customDomains.domainItem[0].domainName, custom);
  const insts = (await api.describeInstances(new CloudAPI.DescribeInstancesRequest({ instanceId: inst }))).body;
  assert.equal(insts.instances.instanceAttribute[0].userVpcId, vpcId);
  assert.equal(insts.instances.instanceAttribute[0].vpcIntranetEnable, true);
  step('SetDomain, DescribeDomain, DescribeApiGroup, DescribeInstances');

  // Roles, tenants and the signature's refusals, through the SDK.
  const viewer = clients(keys.victor);
  await viewer.api.describeApiGroup(new CloudAPI.DescribeApiGroupRequest({ groupId: orders }));
  await refused('the viewer moves a group', move(viewer.api, orders, 'api-shared-vpc-001'), 'Forbidden', 403);
  const rival = clients(keys.rita);
  await refused('the rival describes acme\'s group', rival.api.describeApiGroup(new CloudAPI.DescribeApiGroupRequest({ groupId: orders })), 'NotFoundApiGroup', 404);
  const wrong = clients({ id: keys.alice.id, secret: 'x'.repeat(30) });
  err = await refused('a wrong secret', wrong.api.describeApiGroups(new CloudAPI.DescribeApiGroupsRequest({ groupName: 'a b*~' })), 'SignatureDoesNotMatch', 400);
  assert.match(err.data.Message, /server canonical request is:\nPOST\n\/\nGroupName=a%20b%2A~\n/);
  assert.match(err.data.Message, /\nx-acs-action:DescribeApiGroups\n/);
  assert.match(err.data.Message, /server string to sign is:\nACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
  await refused('an unknown key', clients({ id: 'LTAI' + 'Z'.repeat(20), secret: keys.alice.secret }).api.describeRegions(
    new CloudAPI.DescribeRegionsRequest({})), 'InvalidAccessKeyId.NotFound', 404);
  // The SDK's nonce and clock, pinned: a nonce used twice, a date 20
  // minutes old.
  const { getNonce, getTimestamp } = sdkUtils;
  try {
    sdkUtils.getNonce = () => 'node-nonce-used-twice';
    await api.describeRegions(new CloudAPI.DescribeRegionsRequest({}));
    await refused('a nonce used twice', api.describeRegions(new CloudAPI.DescribeRegionsRequest({})), 'SignatureNonceUsed', 400);
    sdkUtils.getNonce = getNonce;
    sdkUtils.getTimestamp = () => new Date(Date.now() - 20 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await refused('a date 20 minutes old', api.deleteApiGroup(new CloudAPI.DeleteApiGroupRequest({ groupId: orders })), 'InvalidTimeStamp.Expired', 400);
  } finally {
    sdkUtils.getNonce = getNonce;
    sdkUtils.getTimestamp = getTimestamp;
  }
  await api.describeApiGroup(new CloudAPI.DescribeApiGroupRequest({ groupId: orders }));

  const made = { vpcId, vswId, orders, instanceId: inst, custom };

  // Undo it all.
  await api.deleteDomain(new CloudAPI.DeleteDomainRequest({ groupId: orders, domainName: custom }));
  await api.deleteDomain(new CloudAPI.DeleteDomainRequest({ groupId: orders, domainName: custom }));
  await api.modifyIntranetDomainPolicy(new CloudAPI.ModifyIntranetDomainPolicyRequest({ groupId: orders, vpcIntranetEnable: false }));
  await api.modifyInstanceVpcAttributeForConsole(new CloudAPI.ModifyInstanceVpcAttributeForConsoleRequest({ instanceId: inst, deleteVpcAccess: true }));
  for (const id of Object.values(groups)) {
    await api.deleteApiGroup(new CloudAPI.DeleteApiGroupRequest({ groupId: id }));
  }
  await api.deleteInstance(new CloudAPI.DeleteInstanceRequest({ instanceId: inst }));
  await vpc.deleteVSwitch(new VPC.DeleteVSwitchRequest({ regionId: region, vSwitchId: vswId }));
  await vpc.deleteVpc(new VPC.DeleteVpcRequest({ regionId: region, vpcId }));
  assert.equal((await list({})).totalCount, 0);
  assert.equal((await vpc.describeVpcs(new VPC.DescribeVpcsRequest({ regionId: region }))).body.totalCount, 0);
  step('DeleteDomain, DeleteApiGroup, DeleteInstance, DeleteVSwitch, DeleteVpc');
  console.log(JSON.stringify(made));
}

main().then(() => process.exit(0), (err) => {
  console.error(err && err.stack ? err.stack : err);
  if (err && err.data) {
    console.error('error data:', JSON.stringify(err.data));
  }
  process.exit(1);
});
