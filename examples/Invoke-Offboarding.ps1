<#
.SYNOPSIS
    Offboards a user: suspends or deactivates them, ends their sessions, removes them from their groups and
    unassigns their apps, reporting each step.

.DESCRIPTION
    The steps, in this order so the user is locked out first:
      1. Suspend the user (default; reversible with Invoke-OktaUnsuspendUser), or deactivate them with -Deactivate.
      2. Clear their sessions (Clear-OktaUserSessions), and revoke their OAuth tokens with -RevokeOAuthTokens.
      3. Remove them from every group they are a direct member of (built-in and app-managed groups such as
         Everyone cannot be changed and are reported as skipped).
      4. Unassign every app assigned to them (Invoke-OktaListApplications -Filter 'user.id eq "<id>"').
    Each step writes one result object (step, target, result, detail); a failed step is reported and the next
    steps still run. With -WhatIf nothing is written to the org: the script only reads the user, their groups
    and apps, and reports what it would do.
    The org is the session's configuration (Set-OktaConfiguration, or Start-OktaSimulator -Configure).

.PARAMETER User
    The user's login or id.

.PARAMETER Deactivate
    Deactivate the user instead of suspending them (frees the license; the user can only be reactivated).

.PARAMETER RevokeOAuthTokens
    Also revoke the OAuth refresh/access tokens issued to the user when clearing sessions.

.EXAMPLE
    ./examples/Invoke-Offboarding.ps1 -User jane.doe@example.com -WhatIf

    Lists the groups and apps Jane would lose; nothing changes.

.EXAMPLE
    ./examples/Invoke-Offboarding.ps1 -User jane.doe@example.com -Deactivate -Confirm:$false | Format-Table
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory, Position = 0)][string]$User,
    [switch]$Deactivate,
    [switch]$RevokeOAuthTokens
)

$ErrorActionPreference = 'Stop'
if (-not (Get-OktaConfiguration).BaseUrl) {
    throw 'No Okta org configured: run Set-OktaConfiguration (or Start-OktaSimulator -Configure) first.'
}

$target = Get-OktaUser -UserId $User   # a login or an id; an unknown user ends the script here (404)
$label = "$($target.profile.login) ($($target.id))"

function Step([string]$Name, [string]$On, [string]$Action, [scriptblock]$Do) {
    $result = [pscustomobject]@{ step = $Name; target = $On; result = ''; detail = '' }
    if (-not $PSCmdlet.ShouldProcess($On, $Action)) {
        $result.result = 'WhatIf'
    }
    else {
        try { & $Do | Out-Null; $result.result = 'done' }
        catch { $result.result = 'failed'; $result.detail = $_.Exception.Message }
    }
    Write-Verbose "$Name $On`: $($result.result) $($result.detail)"
    $result
}

# 1. Lock the user out.
if ($Deactivate) {
    if ($target.status -eq 'DEPROVISIONED') { [pscustomobject]@{ step = 'deactivate'; target = $label; result = 'skipped'; detail = 'already deactivated' } }
    else { Step 'deactivate' $label 'Deactivate user' { Invoke-OktaDeactivateUser -UserId $target.id -SendEmail $false -Confirm:$false } }
}
else {
    if ($target.status -eq 'SUSPENDED') { [pscustomobject]@{ step = 'suspend'; target = $label; result = 'skipped'; detail = 'already suspended' } }
    elseif ($target.status -ne 'ACTIVE') { [pscustomobject]@{ step = 'suspend'; target = $label; result = 'skipped'; detail = "status is $($target.status): only ACTIVE users can be suspended (use -Deactivate)" } }
    else { Step 'suspend' $label 'Suspend user' { Suspend-OktaUser -UserId $target.id -Confirm:$false } }
}

# 2. End every session (and the OAuth tokens when asked).
Step 'clear sessions' $label 'Clear user sessions' { Clear-OktaUserSessions -UserId $target.id -OauthTokens $RevokeOAuthTokens.IsPresent -Confirm:$false }

# 3. Groups: only the ones Okta lets an admin change (OKTA_GROUP).
foreach ($group in @(Invoke-OktaListUserGroups -UserId $target.id)) {
    $name = "$($group.profile.name) ($($group.id))"
    if ($group.type -ne 'OKTA_GROUP') {
        [pscustomobject]@{ step = 'remove from group'; target = $name; result = 'skipped'; detail = "$($group.type) group: membership is managed by Okta or an app" }
        continue
    }
    Step 'remove from group' $name "Remove $($target.profile.login) from group" { Remove-OktaUserFromGroup -GroupId $group.id -UserId $target.id -Confirm:$false }
}

# 4. Apps assigned to the user (directly or through a group; a group assignment goes away with step 3).
foreach ($app in @(Invoke-OktaListApplications -Filter "user.id eq `"$($target.id)`"" -All)) {
    $name = "$($app.label) ($($app.id))"
    Step 'unassign app' $name "Unassign $($target.profile.login) from app" { Invoke-OktaDeleteApplicationUser -AppId $app.id -UserId $target.id -SendEmail $false -Confirm:$false }
}
