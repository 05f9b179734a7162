<#
.SYNOPSIS
Where one Get-OktaUser's time goes: a profile by subtraction, in one process, interleaved rounds.
.DESCRIPTION
Times, against one okta-sim without limits, after a warm-up: the raw .NET HttpClient GET (the wire and the
simulator), a compiled cmdlet that does nothing useful (PowerShell's dispatch of a cmdlet from a script),
the JSON of one user into PSObjects (ours and ConvertFrom-Json), Get-OktaUser, Invoke-RestMethod -WebSession,
and Invoke-OktaApiRequest for the same path. Prints P50s and the differences that matter: what our command
adds above the wire, and how much of it PowerShell's dispatch alone explains.
.PARAMETER Calls
Timed calls per item (default 3000, in 20 interleaved rounds, after 1000 warm-up calls each).
.EXAMPLE
dotnet pwsh ./tests/bench/Measure-GetUserBreakdown.ps1
#>
[CmdletBinding()]
Param([int]$Calls = 3000)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force
Import-Module (Join-Path $root 'Okta.PowerShell.psd1') -Force
Initialize-HttpFloor
$sim = Start-BenchSimulator -Users 10 -ArgumentList '--rate-limit', 'default=100000000/60s', '--rate-limit', 'users=100000000/60s'
try {
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
    $id = (Invoke-OktaListUsers -Limit 1).id
    $url = "$($sim.Url)/api/v1/users/$id"
    $headers = @{ Authorization = "SSWS $($sim.Token)" }
    $session = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
    $bytes = (Invoke-WebRequest -Uri $url -Headers $headers).RawContentStream.ToArray()
    $text = [Text.Encoding]::UTF8.GetString($bytes)
    $items = [ordered]@{
        'raw HttpClient GET (wire + simulator)'   = { $null = [OktaBenchHttpFloor]::Get($url, $sim.Token, 0, 1) }
        'a trivial compiled cmdlet (Get-Date)'    = { $null = Get-Date }
        'JsonToPSObject.Parse, one user (ours)'   = { $null = [Okta.PowerShell.Json.JsonToPSObject]::Parse($bytes) }
        'ConvertFrom-Json, one user'              = { $null = ConvertFrom-Json -InputObject $text }
        'Get-OktaUser (ours)'                     = { $null = Get-OktaUser -UserId $id }
        'Invoke-OktaApiRequest GET (ours)'        = { $null = Invoke-OktaApiRequest -Method GET -Path "/api/v1/users/$id" }
        'Invoke-RestMethod -WebSession'           = { $null = Invoke-RestMethod -Uri $url -Headers $headers -WebSession $session }
    }
    foreach ($name in $items.Keys) { foreach ($i in 1..1000) { & $items[$name] } }
    Start-Sleep -Milliseconds 500
    $samples = @{}; foreach ($name in $items.Keys) { $samples[$name] = [System.Collections.Generic.List[double]]::new() }
    $watch = [Diagnostics.Stopwatch]::new()
    foreach ($round in 1..20) {
        foreach ($name in $items.Keys) {
            $call = $items[$name]
            foreach ($i in 1..([math]::Ceiling($Calls / 20))) { $watch.Restart(); & $call; $samples[$name].Add($watch.Elapsed.TotalMilliseconds) }
        }
    }
    $p50 = [ordered]@{}
    $rows = foreach ($name in $items.Keys) {
        $s = Get-BenchStats $samples[$name].ToArray() -Digits 3
        $p50[$name] = $s.Median
        [pscustomobject]@{ Item = $name; 'P50 ms' = $s.Median; 'P95 ms' = $s.P95 }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
    $wire = $p50['raw HttpClient GET (wire + simulator)']
    [pscustomobject]@{
        'Get-OktaUser above the wire'         = [math]::Round($p50['Get-OktaUser (ours)'] - $wire, 3)
        'Invoke-RestMethod above the wire'    = [math]::Round($p50['Invoke-RestMethod -WebSession'] - $wire, 3)
        'of which cmdlet dispatch (Get-Date)' = $p50['a trivial compiled cmdlet (Get-Date)']
        'of which JSON → PSObject (ours)'     = $p50['JsonToPSObject.Parse, one user (ours)']
    } | Format-List | Out-String | Out-Host
} finally {
    Stop-OktaSimulator $sim
}
