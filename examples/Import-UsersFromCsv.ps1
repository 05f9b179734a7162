<#
.SYNOPSIS
    Creates Okta users from a CSV file and writes one result row per input row (created / existed / failed).

.DESCRIPTION
    Reads a CSV with the columns firstName, lastName, email, login and an optional groups column (group names or
    group ids, separated by ';'). Each row becomes a user in the org of the session's configuration
    (Set-OktaConfiguration, or Start-OktaSimulator -Configure for the local simulator).

    The result CSV has, for each input row: login, status (created, existed, failed, or skipped under -WhatIf),
    id, reason (why it failed) and groups (what happened to the group assignments). A row missing a required
    column, or repeating an earlier row's login, fails without a request.

    Re-runnable: a login that already exists in the org is reported as "existed" and is not created again; its
    groups are still assigned, so a second run completes a first one that stopped half way.
    Rows are created in parallel with -ThrottleLimit (New-OktaUser's bulk parameter); the module paces them under
    the org's rate limits.

.PARAMETER Path
    The input CSV.

.PARAMETER ResultPath
    Where to write the per-row result CSV. Default: <input name>.results.csv beside the input.

.PARAMETER Activate
    Activate the users on creation (Okta sends the activation email). Default: create them STAGED.

.PARAMETER ThrottleLimit
    How many creations are in flight at once (1: one after the other).

.EXAMPLE
    ./examples/Import-UsersFromCsv.ps1 -Path ./userimport.csv -ThrottleLimit 8
    Import-Csv ./userimport.results.csv | Group-Object status

.EXAMPLE
    ./examples/Import-UsersFromCsv.ps1 -Path ./userimport.csv -WhatIf
    Checks the file and shows which users would be created; nothing is written to the org.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][string]$Path,
    [string]$ResultPath,
    [switch]$Activate,
    [ValidateRange(1, 64)][int]$ThrottleLimit = 4
)

$ErrorActionPreference = 'Stop'
if (-not (Get-OktaConfiguration).BaseUrl) {
    throw 'No Okta org configured: run Set-OktaConfiguration (or Start-OktaSimulator -Configure) first.'
}
if (-not $ResultPath) {
    $ResultPath = Join-Path (Split-Path -Parent (Resolve-Path $Path)) ([IO.Path]::GetFileNameWithoutExtension($Path) + '.results.csv')
}

# One result per input row, in input order; filled in below.
$rows = @(Import-Csv -Path $Path)
$results = [ordered]@{}
$index = 0
foreach ($row in $rows) {
    $index++
    $key = if ($row.login) { $row.login.Trim().ToLowerInvariant() } else { "#row$index" }
    if ($results.Contains($key)) { $key = "$key#row$index" }   # the same login twice: failed below, with the first row's number
    $results[$key] = [pscustomobject]@{ row = $index; login = $row.login; status = ''; id = ''; reason = ''; groups = ''; source = $row }
}

# Rows the org would reject anyway are failed here, with a reason, without a request.
$firstRow = @{}
foreach ($result in $results.Values) {
    $missing = @('firstName', 'lastName', 'email', 'login' | Where-Object { -not $result.source.$_ })
    if ($missing) { $result.status = 'failed'; $result.reason = "missing $($missing -join ', ')"; continue }
    $login = $result.login.Trim().ToLowerInvariant()
    if ($firstRow.ContainsKey($login)) { $result.status = 'failed'; $result.reason = "same login as row $($firstRow[$login])"; continue }
    $firstRow[$login] = $result.row
}

# The reason Okta gives: its error causes ("login: ...") when there are some, else the summary.
function Get-OktaErrorReason($ErrorRecord) {
    $exception = $ErrorRecord.Exception
    if ($exception -is [Okta.PowerShell.OktaApiException]) {
        $causes = @($exception.ErrorCauses | ForEach-Object { $_.errorSummary } | Where-Object { $_ })
        if ($causes) { return $causes -join '; ' }
        if ($exception.ErrorSummary) { return $exception.ErrorSummary }
    }
    $exception.Message
}

# Create the users in one pipeline: New-OktaUser -ThrottleLimit sends them in parallel and writes the created
# users in input order; each failure is its own non-terminating error whose TargetObject is the request.
$toCreate = @($results.Values | Where-Object { -not $_.status } | Where-Object {
        if ($PSCmdlet.ShouldProcess($_.login, 'Create Okta user')) { $true } else { $_.status = 'skipped'; $false }
    })
if ($toCreate) {
    $failures = @()
    $created = $toCreate | ForEach-Object {
        $userProfile = [pscustomobject]@{ firstName = $_.source.firstName; lastName = $_.source.lastName; email = $_.source.email; login = $_.source.login }
        Initialize-OktaCreateUserRequest -VarProfile $userProfile
    } | New-OktaUser -Activate $Activate.IsPresent -ThrottleLimit $ThrottleLimit -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable +failures

    $byLogin = @{}
    foreach ($result in $toCreate) { $byLogin[$result.login.Trim().ToLowerInvariant()] = $result }   # logins are unique here
    foreach ($user in $created) {
        $result = $byLogin[$user.profile.login.Trim().ToLowerInvariant()]
        $result.status = 'created'; $result.id = $user.id
    }
    foreach ($failure in $failures) {
        $login = $failure.TargetObject.profile.login
        $result = if ($login) { $byLogin[$login.Trim().ToLowerInvariant()] }
        if (-not $result) { Write-Warning "Unmatched failure: $($failure.Exception.Message)"; continue }
        # A duplicate login is not a failure for a re-run: look the user up and report "existed".
        $existing = $null
        try { $existing = Get-OktaUser -UserId $result.login } catch [Okta.PowerShell.OktaApiException] { }
        if ($existing) { $result.status = 'existed'; $result.id = $existing.id }
        else { $result.status = 'failed'; $result.reason = Get-OktaErrorReason $failure }
    }
    foreach ($result in $toCreate | Where-Object { -not $_.status }) { $result.status = 'failed'; $result.reason = 'no answer for this row' }
}

# Group assignments: by id, or by exact name (looked up once per name).
$groupIds = @{}
function Resolve-GroupId([string]$NameOrId) {
    if ($groupIds.ContainsKey($NameOrId)) { return $groupIds[$NameOrId] }
    $group = if ($NameOrId -match '^00g[0-9A-Za-z]{17}$') { $NameOrId }
    else { (Invoke-OktaListGroups -Search "profile.name eq `"$($NameOrId -replace '"', '\"')`"" | Select-Object -First 1).id }
    $groupIds[$NameOrId] = $group
    $group
}
foreach ($result in $results.Values | Where-Object { $_.id -and $_.source.groups }) {
    $outcomes = foreach ($name in $result.source.groups -split ';' | ForEach-Object Trim | Where-Object { $_ }) {
        $groupId = Resolve-GroupId $name
        if (-not $groupId) { "${name}: not found"; continue }
        if (-not $PSCmdlet.ShouldProcess("$($result.login) -> $name", 'Add user to group')) { "${name}: skipped"; continue }
        try { Add-OktaUserToGroup -GroupId $groupId -UserId $result.id -Confirm:$false; "${name}: added" }   # adding twice is harmless
        catch { "${name}: failed ($(Get-OktaErrorReason $_))" }
    }
    $result.groups = $outcomes -join '; '
}

$report = $results.Values | Select-Object row, login, status, id, reason, groups
$report | Export-Csv -Path $ResultPath -NoTypeInformation -Encoding utf8
Write-Host ("{0} row(s): {1}. Results: {2}" -f $rows.Count, (($report | Group-Object status | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '), $ResultPath)
$report
