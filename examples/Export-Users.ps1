<#
.SYNOPSIS
    Exports every user of the org, with the profile fields you choose, to a CSV file, page by page.

.DESCRIPTION
    Streams Invoke-OktaListUsers -All (every page, fetched while the previous one is written) through
    Select-Object into Export-Csv: the file grows as pages arrive and the whole user list is never held in
    memory, so it suits orgs with hundreds of thousands of users. Each row has the user's id and status, then
    the chosen profile fields (a field a user does not have is empty).
    The org is the session's configuration (Set-OktaConfiguration, or Start-OktaSimulator -Configure).

.PARAMETER Path
    The CSV file to write.

.PARAMETER ProfileField
    The profile attributes to export, in column order (custom attributes too, e.g. employeeNumber).

.PARAMETER Search
    Export only the users matching this search expression, e.g. 'status eq "ACTIVE"'.

.PARAMETER IncludeDeprovisioned
    Also export the deactivated (DEPROVISIONED) users, which Okta leaves out of a plain user list.

.PARAMETER Limit
    Page size (users per request; Okta allows up to 200).

.EXAMPLE
    ./examples/Export-Users.ps1 -Path ./users.csv

.EXAMPLE
    ./examples/Export-Users.ps1 -Path ./engineering.csv -ProfileField login, email, department -Search 'profile.department eq "Engineering"'
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$Path,
    [string[]]$ProfileField = @('login', 'email', 'firstName', 'lastName'),
    [string]$Search,
    [switch]$IncludeDeprovisioned,
    [ValidateRange(1, 200)][int]$Limit = 200
)

$ErrorActionPreference = 'Stop'
if (-not (Get-OktaConfiguration).BaseUrl) {
    throw 'No Okta org configured: run Set-OktaConfiguration (or Start-OktaSimulator -Configure) first.'
}

# One calculated column per profile field; the scriptblock closes over its own field name.
$columns = @('id', 'status') + @($ProfileField | ForEach-Object {
        $field = [string]$_
        @{ Name = [string]$field; Expression = { $_.profile.$field }.GetNewClosure() }
    })

$list = @{ All = $true; Limit = $Limit }
if ($Search) { $list.Search = $Search }

# Okta's plain list leaves deactivated users out; they come from a second stream when asked for.
$streams = @($list)
if ($IncludeDeprovisioned -and -not $Search) { $streams += @{ All = $true; Limit = $Limit; Search = 'status eq "DEPROVISIONED"' } }

$count = 0
$streams | ForEach-Object { Invoke-OktaListUsers @_ } |
    Select-Object -Property $columns |
    ForEach-Object { $count++; $_ } |
    Export-Csv -Path $Path -NoTypeInformation -Encoding utf8
Write-Host "Exported $count user(s) to $Path"
