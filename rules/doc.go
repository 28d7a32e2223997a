// Package rules holds Gatehouse's domain: the types of SPEC.md §1, their
// id formats and validators, the input policy of both doors (input.go),
// and every decision of SPEC.md §2 as a pure function. It imports only the
// standard library.
//
// # Rule index
//
// Where each rule of SPEC.md §2 is decided, and the tests that prove it.
// The store reads the facts inside its transaction and asks these
// functions; the console, the OpenAPI endpoint and the gateway ask them
// too, never a copy.
//
//	rule  what                                          decided by                                     tests (rules/…_test.go)
//	R1    group name, description, unique per region    GroupInput.Validate, DuplicateGroupName        TestGroupInputValidate, TestDuplicateGroupName, FuzzGroupName
//	R2    VPC domain: enabled, HTTP and HTTPS,          CheckEnableVpcDomain, Reach (public names,     TestCheckEnableVpcDomain, TestDecideDailyLimits, TestReachAudience,
//	      unlimited; public domain's daily limit        their daily limit), Limits.PublicDaily         TestPublicDailyLimit, TestFormatDailyLimit
//	R3    shared instance: every VPC of its region,     Reach (AudienceRegionVpcs), SharedVpcAddress   TestDecideMatrix, TestDecideSharedAcrossRegionsAndAccounts,
//	      of any account; a 100.64.0.0/10 address                                                      TestReachAcrossAccounts, TestSharedVpcAddress
//	R4    dedicated instance: one VPC of its account    CheckBindVpc, DedicatedEndpointAddress,        TestCheckBindVpc, TestDedicatedEndpointAddress, TestDecideMatrix,
//	      and region; only that VPC reaches it          Reach (AudienceBoundVpc)                       TestDecideDoesNotLeakTheBoundVpc
//	R5    no VPC domain on an unbound dedicated one     CheckEnableVpcDomain, Reach                    TestCheckEnableVpcDomain, TestDecideMatrix, TestReachAudience
//	R6    changing the bound VPC moves every group      CheckBindVpc (a change is a binding), Reach    TestCheckBindVpc, TestDecideAfterVpcChange
//	R7    no unbinding while VPC domains are enabled    CheckUnbindVpc                                 TestCheckUnbindVpc
//	R8    moving a group between instances              CheckMoveGroup, CheckGroupPlacement, Reach     TestCheckMoveGroup, TestCheckGroupPlacement, TestDecideAfterMove
//	R9    custom domains: name, network type, limits,   DomainInput.Validate, CheckBindDomain,         TestDomainInputValidate, TestCheckBindDomain, TestParseCertificate,
//	      certificates; INTRANET needs a dedicated      ParseCertificate, CNAMETarget,                 TestCNAMETarget, TestCheckDisableVpcDomain, TestDecideCustomHTTPS,
//	      instance and the VPC domain                   CheckDisableVpcDomain, Reach (custom names)    FuzzDomainName, FuzzParseCertificate
//	R10   hybrid cloud: the endpoint, never 100.x       Reach (hybrid callers), Verdict.Recommend      TestDecideMatrix, TestReachAcrossAccounts
//	R11   the access decision                           Reach (one function for all), Decide (words)   TestDecideMatrix, TestDecideRefusesBadQuestions, TestReachAudience,
//	                                                                                                   TestReachAcrossAccounts, TestReachAllocations, BenchmarkReach
//
// Beyond §2: the platform's shared instances are read-only
// (CheckDeleteInstance, CheckBindVpc, CheckUnbindVpc, CheckModifyInstance);
// a VPC or vSwitch in
// use is not deleted (CheckDeleteVpc, CheckDeleteVSwitch:
// TestCheckDeleteVpcAndVSwitch); vSwitches fit their VPC
// (CheckVSwitchPlacement: TestCheckVSwitchPlacement) and reserve the
// first address and the last three, less one per VPC endpoint
// (VSwitchUsableAddresses, VSwitchAvailableAddresses,
// DedicatedEndpointAddress: TestVSwitchUsableAddresses); an account keeps
// an admin (CheckRoleChange, CheckRemoveUser: TestCheckRoleChange,
// TestCheckRemoveUser); a password change needs the current one
// (PasswordChange.Validate: TestPasswordChangeValidate); name search folds
// case for every letter (FoldName, NameContains: TestFoldName,
// TestNameContains); the input policy (Normalize, CheckVpcID:
// TestNormalize, TestCheckVpcAndVSwitchIDs); the gateway's HTTPS (SPEC §7):
// an instance's HTTPS policy as TLS versions and HTTP/2 (ParseTLSPolicy:
// TestParseTLSPolicy), and a dedicated instance's name and policy changed
// after creation (CheckModifyInstance, CheckInstanceChangeable:
// TestCheckModifyInstance, TestCheckInstanceChangeable), an uploaded
// certificate's id (CertificateID: TestCertificateID) and an upload
// needing both certificate and key
// (CheckCertificateGiven: TestCheckCertificateGiven).
package rules
