<#
.SYNOPSIS
Where listing users goes, per page and per user: a profile by subtraction, against okta-sim without latency.
.DESCRIPTION
Times, for -Users users at page size 200 (median of -Runs, interleaved): the raw .NET HttpClient loop (wire,
simulator, JsonDocument), Invoke-OktaListUsers -All collected with @(), the same piped to Out-Null (no
collection), and the Node SDK; then, for one 200-user page: the glue's JsonToPSObject.Parse alone and one
Invoke-OktaListUsers -Limit 200 call. Per-user costs above the raw loop show what our listing adds.
.PARAMETER Users
Seeded users (default 20,000).
.PARAMETER Runs
Runs per item (default 3).
.EXAMPLE
dotnet pwsh ./tests/bench/Measure-ListBreakdown.ps1
#>
[CmdletBinding()]
Param([int]$Users = 20000, [int]$Runs = 3)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force
Import-Module (Join-Path $root 'Okta.PowerShell.psd1') -Force
Initialize-HttpFloor
$node = Get-NodePeer
$sim = Start-BenchSimulator -Users $Users -ArgumentList '--rate-limit', 'default=100000000/60s', '--rate-limit', 'users=100000000/60s'
try {
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
    $first = "$($sim.Url)/api/v1/users?limit=200"
    $items = [ordered]@{
        'raw HttpClient loop (JsonDocument)'           = { [OktaBenchHttpFloor]::List($first, $sim.Token)[2] }
        'Invoke-OktaListUsers -All, @() collected'     = { $w = [Diagnostics.Stopwatch]::StartNew(); $null = @(Invoke-OktaListUsers -All -Limit 200); $w.Elapsed.TotalMilliseconds }
        'Invoke-OktaListUsers -All | Out-Null'         = { $w = [Diagnostics.Stopwatch]::StartNew(); Invoke-OktaListUsers -All -Limit 200 | Out-Null; $w.Elapsed.TotalMilliseconds }
        '-WithHttpInfo page loop (no -All, no prefetch)' = { $w = [Diagnostics.Stopwatch]::StartNew(); $r = Invoke-OktaListUsers -Limit 200 -WithHttpInfo; while ($r.NextPageUri) { $r = Invoke-OktaListUsers -Uri $r.NextPageUri -WithHttpInfo }; $w.Elapsed.TotalMilliseconds }
    }
    if ($node.Ok) { $items['Node SDK collection.each'] = { (Invoke-NodePeer $node list $sim @{ limit = 200 }).ms } }
    $ms = @{}; foreach ($k in $items.Keys) { $ms[$k] = [System.Collections.Generic.List[double]]::new() }
    foreach ($k in $items.Keys) { $null = & $items[$k] }   # warm-up
    foreach ($i in 1..$Runs) { foreach ($k in $items.Keys) { $ms[$k].Add([double](& $items[$k])) } }
    $raw = (Get-BenchStats $ms['raw HttpClient loop (JsonDocument)'].ToArray()).Median
    $items.Keys | ForEach-Object {
        $m = (Get-BenchStats $ms[$_].ToArray()).Median
        [pscustomobject]@{ Item = $_; 'median ms' = [math]::Round($m); 'µs a user' = [math]::Round(1000 * $m / $Users, 1); 'µs a user above raw' = [math]::Round(1000 * ($m - $raw) / $Users, 1) }
    } | Format-Table -AutoSize | Out-String -Width 200 | Out-Host

    $page = (Invoke-WebRequest -Uri $first -Headers @{ Authorization = "SSWS $($sim.Token)" }).RawContentStream.ToArray()
    $one = [ordered]@{
        'JsonToPSObject.Parse of one 200-user page'  = { $null = [Okta.PowerShell.Json.JsonToPSObject]::Parse($page) }
        'Invoke-OktaListUsers -Limit 200 (one page)'  = { $null = Invoke-OktaListUsers -Limit 200 }
        'raw HttpClient GET of one page'              = { $null = [OktaBenchHttpFloor]::Get($first, $sim.Token, 0, 1) }
    }
    $samples = @{}; foreach ($k in $one.Keys) { $samples[$k] = [System.Collections.Generic.List[double]]::new() }
    $watch = [Diagnostics.Stopwatch]::new()
    foreach ($i in 1..60) { foreach ($k in $one.Keys) { $watch.Restart(); & $one[$k]; if ($i -gt 10) { $samples[$k].Add($watch.Elapsed.TotalMilliseconds) } } }
    $one.Keys | ForEach-Object { [pscustomobject]@{ Item = $_; 'P50 ms' = (Get-BenchStats $samples[$_].ToArray() -Digits 2).Median } } | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
} finally {
    Stop-OktaSimulator $sim
}
