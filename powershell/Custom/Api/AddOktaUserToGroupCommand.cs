using System.Management.Automation;

namespace Okta.PowerShell.Generated;

// The community module OktaAPI calls this operation Add-OktaGroupMember <groupId> <userId> (same positions);
// the seeds' bulk-creation script uses that name, so it runs unchanged. The official name stays as it is.
[Alias("Add-OktaGroupMember")]
public sealed partial class AddOktaUserToGroupCommand
{
}
