<#
.SYNOPSIS
    Lists the members of every group whose name starts with a prefix: one row per group and user.

.DESCRIPTION
    Finds the groups with Invoke-OktaListGroups -Search 'profile.name sw "<prefix>"' (or -Q <prefix> with
    -QuickSearch, the name-prefix lookup Okta also offers), then reads every member of each group with
    Invoke-OktaListGroupUsers -All (all pages). Writes one object per group x member to the pipeline, or to a CSV
    file with -Path. Groups without members give no row unless -IncludeEmptyGroups.
    The org is the session's configuration (Set-OktaConfiguration, or Start-OktaSimulator -Configure).

.PARAMETER Prefix
    The start of the group names to report on (case-insensitive, as Okta compares names).

.PARAMETER Path
    Write the report to this CSV file instead of the pipeline.

.PARAMETER QuickSearch
    Find the groups with -Q (Okta's name-prefix lookup) rather than the search index (-Search).

.PARAMETER IncludeEmptyGroups
    Also write one row, without a user, for each matching group that has no members.

.EXAMPLE
    ./examples/Get-GroupMembershipReport.ps1 -Prefix Test | Format-Table groupName, login, status

.EXAMPLE
    ./examples/Get-GroupMembershipReport.ps1 -Prefix 'Sales' -Path ./sales-groups.csv
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$Prefix,
    [string]$Path,
    [switch]$QuickSearch,
    [switch]$IncludeEmptyGroups
)

$ErrorActionPreference = 'Stop'
if (-not (Get-OktaConfiguration).BaseUrl) {
    throw 'No Okta org configured: run Set-OktaConfiguration (or Start-OktaSimulator -Configure) first.'
}

$groups = if ($QuickSearch) {
    Invoke-OktaListGroups -Q $Prefix -All
}
else {
    # Quotes inside a search expression are escaped with a backslash.
    Invoke-OktaListGroups -Search "profile.name sw `"$($Prefix -replace '"', '\"')`"" -All
}
# -Q also matches other fields on a real org; keep only names that really start with the prefix.
$groups = @($groups | Where-Object { $_.profile.name -like "$([WildcardPattern]::Escape($Prefix))*" })
Write-Verbose "$($groups.Count) group(s) start with '$Prefix'"

$rows = foreach ($group in $groups) {
    $members = 0
    Invoke-OktaListGroupUsers -GroupId $group.id -All | ForEach-Object {
        $members++
        [pscustomobject]@{
            groupId   = $group.id
            groupName = $group.profile.name
            userId    = $_.id
            login     = $_.profile.login
            firstName = $_.profile.firstName
            lastName  = $_.profile.lastName
            status    = $_.status
        }
    }
    if ($members -eq 0 -and $IncludeEmptyGroups) {
        [pscustomobject]@{ groupId = $group.id; groupName = $group.profile.name; userId = $null; login = $null; firstName = $null; lastName = $null; status = $null }
    }
}

if ($Path) { $rows | Export-Csv -Path $Path -NoTypeInformation -Encoding utf8 }
else { $rows }
