<#
.SYNOPSIS
Runs the side-by-side benchmark suite (issue 18): Okta.PowerShell beside the official module, Invoke-RestMethod,
Okta's Node and Python SDKs and raw HTTP floors, against the same okta-sim in the same run.

.DESCRIPTION
Six scenarios, one file each under tests/bench/scenarios/:
  import    cold Import-Module in fresh processes
  get       one Get-OktaUser, P50/P95 after warm-up (and the JSON glue alone)
  list      list every user through 20 ms of added latency, page size 200
  create    bulk creates under a users rate limit: budget used, 429s, lost, wall time
  memory    stream users; working set sampled every tenth of the run: peak and slope
  parallel  8 concurrent workers (runspaces, tasks) on one org, mixed reads and writes
Each prints a table (client, median, spread, ratio to ours, ratio to the floor) and the run writes
bench/results/<date>.md plus one SVG chart per scenario (bench/results/<date>-<scenario>.svg).

A peer that cannot run here (not installed, failed, overran its deadline) stays in its table with the reason.
Numbers from -Quick (CI) are not claims: they only prove the harness still runs.

.PARAMETER Scenario
Which scenarios to run (default: all, in the order above).
.PARAMETER Quick
Every scenario at a tiny size (seconds each): for CI, so the harness cannot rot.
.PARAMETER CompareWith
The official module's .psd1 (a checkout of okta/okta-powershell-cli 2.0.2, src/Okta.PowerShell). Without it,
OKTA_OFFICIAL_MODULE or /tmp/official/src/Okta.PowerShell is used if present; else its rows say "not found".
.PARAMETER OutputDirectory
Where the results file and charts go (default bench/results at the repository root).
.PARAMETER Date
The date in the file names (default today, UTC).
.PARAMETER ListUsers
Users listed by the list scenario (default 100,000, the issue's size).
.PARAMETER CreateUsers
Creates per client in the create scenario. Default 500 under users=100/10s (Okta's 600/min rate in 10 s windows),
about 40 s a client. The issue's full size is -CreateUsers 5000 -CreateRateLimit 600/60s (8+ minutes a client).
.PARAMETER CreateRateLimit
The users bucket of the create scenario (okta-sim syntax, default 100/10s).
.PARAMETER StreamUsers
Users streamed by the memory scenario. Default 200,000 (sampled every 20,000): on 2 shared cores the
issue's 1,000,000 takes minutes per client (the Python SDK and the official module far longer); pass
-StreamUsers 1000000 for the full size.
.PARAMETER ParallelSeconds
Length of the parallel scenario per client (default 60).
.PARAMETER Rounds
Timed runs per client in the list scenario (default 3; interleaved).

.EXAMPLE
dotnet pwsh ./tests/bench/Invoke-Benchmarks.ps1 -Quick
.EXAMPLE
dotnet pwsh ./tests/bench/Invoke-Benchmarks.ps1 -Scenario get, list -CompareWith /tmp/official/src/Okta.PowerShell/Okta.PowerShell.psd1
#>
[CmdletBinding()]
Param(
    [ValidateSet('import', 'get', 'list', 'create', 'memory', 'parallel')]
    [string[]]$Scenario = @('import', 'get', 'list', 'create', 'memory', 'parallel'),
    [switch]$Quick,
    [string]$CompareWith,
    [string]$OutputDirectory,
    [string]$Date = [DateTime]::UtcNow.ToString('yyyy-MM-dd'),
    [int]$ListUsers = 100000,
    [int]$CreateUsers = 500,
    [string]$CreateRateLimit = '100/10s',
    [int]$StreamUsers = 200000,
    [int]$ParallelSeconds = 60,
    [int]$Rounds = 3
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force -Global
Import-Module (Join-Path $root 'Okta.PowerShell.psd1') -Force -Global
if (-not $OutputDirectory) { $OutputDirectory = Join-Path $root 'bench/results' }
New-Item -ItemType Directory -Force $OutputDirectory | Out-Null
$started = [DateTime]::UtcNow

# Sizes: the recorded defaults, or tiny ones that prove the harness in seconds. Quick keeps every code path: one
# import per module, list and stream over 3 pages of 200, creates past the limit (429s and retries), workers in
# parallel runspaces (2: each imports the module, and the official one is slow to import).
$sizes = if ($Quick) {
    @{ ImportSamples = 1; GetWarmup = 5; GetCalls = 20; GlueIterations = 2; ListUsers = 401; ListLatencyMs = 1; Rounds = 1
        CreateUsers = 6; CreateRateLimit = '4/1s'; StreamUsers = 401; ParallelSeconds = 1; ParallelWorkers = 2 }
} else {
    @{ ImportSamples = 7; GetWarmup = 1000; GetCalls = 2000; GlueIterations = 50; ListUsers = $ListUsers; ListLatencyMs = 20; Rounds = $Rounds
        CreateUsers = $CreateUsers; CreateRateLimit = $CreateRateLimit; StreamUsers = $StreamUsers; ParallelSeconds = $ParallelSeconds; ParallelWorkers = 8 }
}

# Peers, found (or installed) once. Each is an object with Ok and either what runs it or the Reason it cannot.
$officialPath = Get-OfficialModulePath -CompareWith $CompareWith
$context = [pscustomobject]@{
    Root     = $root
    Quick    = [bool]$Quick
    Sizes    = $sizes
    Official = if ($officialPath) { [pscustomobject]@{ Ok = $true; Path = $officialPath } } else { [pscustomobject]@{ Ok = $false; Reason = 'official module not found (pass -CompareWith)' } }
    Node     = Get-NodePeer
    Python   = Get-PythonPeer
    Rust     = Get-RustFloor
}
foreach ($peer in 'Official', 'Node', 'Python', 'Rust') {
    $p = $context.$peer
    Write-Host ("peer {0,-9} {1}" -f $peer, $(if ($p.Ok) { 'ready' } else { "unavailable: $($p.Reason)" }))
}

$files = @{ import = '1-Import.ps1'; get = '2-GetUser.ps1'; list = '3-ListUsers.ps1'; create = '4-BulkCreate.ps1'; memory = '5-StreamMemory.ps1'; parallel = '6-Parallel.ps1' }
$results = [System.Collections.Generic.List[object]]::new()
foreach ($name in $Scenario) {
    Write-Host "`n>>> scenario $name ($([DateTime]::UtcNow.ToString('HH:mm:ss')) UTC)"
    $watch = [Diagnostics.Stopwatch]::StartNew()
    foreach ($result in @(& (Join-Path $PSScriptRoot "scenarios/$($files[$name])") -Context $context)) {
        Write-BenchTable $result
        $results.Add($result)
    }
    Write-Host "<<< scenario $name took $([math]::Round($watch.Elapsed.TotalSeconds)) s"
}

# The results file: machine and run conditions first (numbers are only comparable within one run).
$cpu = (Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Where-Object { $_ -match '^model name' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$load = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3
$commit = (& git -C $root rev-parse --short HEAD 2>$null)
$md = [System.Text.StringBuilder]::new()
[void]$md.AppendLine("# Benchmarks $Date$(if ($Quick) { ' (quick: harness check, not a claim)' })").AppendLine()
[void]$md.AppendLine('<!-- machine-readable: tests/bench/Update-ReadmePerformance.ps1 reads the tables below -->')
[void]$md.AppendLine("- Machine: $([Environment]::ProcessorCount) cores ($cpu), $([math]::Round(((Get-Content /proc/meminfo -ErrorAction SilentlyContinue | Select-Object -First 1) -replace '\D', '' -as [double]) / 1MB, 1)) GiB, $([Runtime.InteropServices.RuntimeInformation]::OSDescription)")
[void]$md.AppendLine("- PowerShell $($PSVersionTable.PSVersion) on .NET $([Environment]::Version); node $(& node --version 2>$null); commit $commit")
[void]$md.AppendLine("- Peers: official module $(if ($context.Official.Ok) { $context.Official.Path } else { "— $($context.Official.Reason)" }); Node SDK $(if ($context.Node.Ok) { $context.Node.Version } else { "— $($context.Node.Reason)" }); Python SDK $(if ($context.Python.Ok) { $context.Python.Version } else { "— $($context.Python.Reason)" })")
[void]$md.AppendLine("- Run: $($started.ToString('yyyy-MM-dd HH:mm')) – $([DateTime]::UtcNow.ToString('HH:mm')) UTC; load average at the end $($load -join ' ')")
[void]$md.AppendLine('- **Noise**: this machine (2 cores) was shared with 3 other engineers building at the same time; clients were interleaved so a busy moment falls on all of them alike, but absolute numbers are noisy — compare ratios within a table, not across runs.')
[void]$md.AppendLine('- Spread: min–max of the runs (≤ 10 samples) or P5–P95 (per-call samples). `× ours` is value ÷ ours; `× floor` is value ÷ the floor named above the table.').AppendLine()
foreach ($result in $results) {
    $chart = "$Date-$($result.Name).svg"
    $svg = if ($result.MemorySeries.Count -gt 0) { ConvertTo-BenchLineSvg $result } else { ConvertTo-BenchBarSvg $result }
    Set-Content -Path (Join-Path $OutputDirectory $chart) -Value $svg -Encoding utf8NoBOM
    [void]$md.Append((ConvertTo-BenchMarkdown $result -ChartFile $chart))
}
$resultsFile = Join-Path $OutputDirectory "$Date.md"
Set-Content -Path $resultsFile -Value $md.ToString() -Encoding utf8NoBOM
Write-Host "`nwrote $resultsFile and $($results.Count) charts in $([math]::Round(([DateTime]::UtcNow - $started).TotalMinutes, 1)) min"
