<#
.SYNOPSIS
    The Okta developer blog's walkthrough of the PowerShell module, end to end, against the configured org.

.DESCRIPTION
    Follows "How to Use Okta's PowerShell Module to Manage Your Okta Org" step by step, with the same commands:
    search users by last name and show their profiles with Format-Table, read one user, create a user with
    Initialize-OktaCreateUserRequest, update their last name, create a group with Initialize-OktaGroup, add the
    user to it and list the group's members, then the membership of every group whose name starts with "Test".

    The org is the session's configuration. The blog starts with the device authorization flow
    (Invoke-OktaEstablishAccessToken); this script uses an API token instead, set once before running it:
        Set-OktaConfiguration -BaseUrl 'https://dev-123.okta.com' -ApiKey @{ apitoken = $token }
    (the device-flow start is shown by another example). Against the local simulator:
        Start-OktaSimulator -Seed 50 -Configure

    Re-runnable: a user or group that already exists is reused instead of created twice.
    Writes the created/reused group and user as an object; the tables go to the host as in the blog.

.PARAMETER LastName
    The last name searched for in the first step (the blog uses "Test").

.PARAMETER Login
    Login (and email) of the user the walkthrough creates and updates (the blog's user6.test@atko.com).

.PARAMETER GroupName
    Name of the group the walkthrough creates (the blog's "Test Group").

.EXAMPLE
    Set-OktaConfiguration -BaseUrl 'https://dev-123.okta.com' -ApiKey @{ apitoken = $env:OKTA_API_TOKEN }
    ./examples/Blog-Walkthrough.ps1 -WhatIf

    Shows what the walkthrough would create and change, sending only reads.

.EXAMPLE
    Start-OktaSimulator -Seed 50 -Configure | Out-Null
    ./examples/Blog-Walkthrough.ps1 -Login user6.test@example.com
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string]$LastName = 'Test',
    [string]$Login = 'user6.test@example.com',
    [string]$GroupName = 'Test Group'
)

$ErrorActionPreference = 'Stop'

# The session's configuration says which org we talk to; fail early with a useful message when it is empty.
$Configuration = Get-OktaConfiguration
if (-not $Configuration.BaseUrl) {
    throw "No Okta org configured: run Set-OktaConfiguration -BaseUrl <url> -ApiKey @{ apitoken = <token> } (or Start-OktaSimulator -Configure) first."
}
Write-Host "Org: $($Configuration.BaseUrl)"

# 1. Search users by last name (the search index; `profile.lastName eq "Test"`) and show their profiles.
$users = Invoke-OktaListUsers -Search "profile.lastName eq `"$LastName`""
Write-Host "$(@($users).Count) user(s) with last name '$LastName'"
if ($users) { $users.profile | Format-Table | Out-String | Write-Host }

# 2. Create a user from a profile object, unless the login exists already (re-runs).
function Find-User([string]$LoginOrId) {
    try { Get-OktaUser -UserId $LoginOrId }
    catch [Okta.PowerShell.OktaApiException] { if ($_.Exception.ErrorCode -eq 'E0000007') { $null } else { throw } }
}
$user = Find-User $Login
if (-not $user -and $PSCmdlet.ShouldProcess($Login, 'Create Okta user')) {
    $UserProfile = [PSCustomObject]@{
        firstName = 'User6'
        lastName  = $LastName
        email     = $Login
        login     = $Login
    }
    $newUser = Initialize-OktaCreateUserRequest -VarProfile $UserProfile
    $user = New-OktaUser -Body $newUser -Confirm:$false
    Write-Host "Created $($user.profile.login) ($($user.status))"
}

# 3. Read the user back and change their last name, as the blog does.
if ($user) {
    $user = Get-OktaUser -UserId $user.id
    $user.profile | Format-List | Out-String | Write-Host
    if ($PSCmdlet.ShouldProcess($user.profile.login, 'Set last name to Smith')) {
        $user.profile.lastName = 'Smith'
        $UpdatedUser = Initialize-OktaUpdateUserRequest -VarProfile $user.profile
        $user = Update-OktaUser -UserId $user.id -User $UpdatedUser -Confirm:$false
        Write-Host "Updated $($user.profile.login): lastName = $($user.profile.lastName)"
    }
}

# 4. Create the group from an Initialize-OktaGroup object (or reuse it on a re-run).
$createdGroup = Invoke-OktaListGroups -Search "profile.name eq `"$GroupName`"" | Select-Object -First 1
if (-not $createdGroup -and $PSCmdlet.ShouldProcess($GroupName, 'Create Okta group')) {
    $newGroup = Initialize-OktaGroup
    $newGroup.profile = [PSCustomObject]@{
        name        = $GroupName
        description = 'Test'
    }
    $createdGroup = New-OktaGroup -Group $newGroup -Confirm:$false
    Write-Host "Created group $($createdGroup.profile.name) ($($createdGroup.id))"
}

# 5. Add the user to the group and list the members.
if ($user -and $createdGroup) {
    if ($PSCmdlet.ShouldProcess("$($user.profile.login) -> $($createdGroup.profile.name)", 'Add user to group')) {
        Add-OktaUserToGroup -GroupId $createdGroup.id -UserId $user.id -Confirm:$false
    }
    $groupMembers = Invoke-OktaListGroupUsers -GroupId $createdGroup.id
    $groupMembers.profile | Select-Object -Property firstName, lastName, login | Format-Table | Out-String | Write-Host
}

# 6. Membership of every group whose name starts with the group name's first word ("Test").
$prefix = ($GroupName -split ' ')[0]
$groups = Invoke-OktaListGroups -Search "profile.name sw `"$prefix`""
foreach ($group in $groups) {
    Write-Host "Group membership for $($group.profile.name)"
    $groupMembers = Invoke-OktaListGroupUsers -GroupId $group.id
    $groupMembers.profile | Select-Object -Property firstName, lastName, login | Format-Table | Out-String | Write-Host
}

[pscustomobject]@{
    User    = $user
    Group   = $createdGroup
    Members = if ($createdGroup) { @(Invoke-OktaListGroupUsers -GroupId $createdGroup.id -All) } else { @() }
}
