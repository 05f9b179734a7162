# Shared by Invoke-Benchmarks.ps1 and tests/bench/scenarios/*.ps1: statistics, result rows, peers (where they
# are and how to run them), bounded child processes, the Markdown and SVG writers. No timing lives here.

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:PeerRoot = if ($env:OKTA_BENCH_PEERS) { $env:OKTA_BENCH_PEERS } else { Join-Path ([IO.Path]::GetTempPath()) 'okta-bench-peers' }

function Get-BenchRoot { $script:RepositoryRoot }

#region statistics
function Get-Percentile([double[]]$Values, [double]$P) {
    $sorted = [double[]]$Values.Clone(); [array]::Sort($sorted)
    $sorted[[int][math]::Round(($sorted.Count - 1) * $P)]
}

function Get-BenchStats {
    # Median and a spread: min–max for a handful of runs, P5–P95 for many samples (per-call latencies).
    param([Parameter(Mandatory)][double[]]$Values, [int]$Digits = 2)
    $median = Get-Percentile $Values 0.5
    if ($Values.Count -le 10) { $lo = ($Values | Measure-Object -Minimum).Minimum; $hi = ($Values | Measure-Object -Maximum).Maximum; $kind = 'min–max' }
    else { $lo = Get-Percentile $Values 0.05; $hi = Get-Percentile $Values 0.95; $kind = 'P5–P95' }
    [pscustomobject]@{
        Median = [math]::Round($median, $Digits)
        P95    = [math]::Round((Get-Percentile $Values 0.95), $Digits)
        Spread = '{0}–{1}' -f [math]::Round($lo, $Digits), [math]::Round($hi, $Digits)
        Kind   = $kind
        Count  = $Values.Count
    }
}

function Get-JainFairness([double[]]$Shares) {
    # Jain's index: 1 = every worker got the same share, 1/n = one worker got everything.
    $sum = ($Shares | Measure-Object -Sum).Sum
    $squares = ($Shares | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum
    if ($squares -eq 0) { return $null }
    [math]::Round($sum * $sum / ($Shares.Count * $squares), 3)
}
#endregion

#region rows and scenario results
function New-BenchRow {
    # One client's line in a scenario table. -Value $null with a -Note: the peer could not run (the table says why).
    param(
        [Parameter(Mandatory)][string]$Client,
        $Value,
        [string]$Spread = '',
        [System.Collections.IDictionary]$Extra = [ordered]@{},
        [string]$Note = '',
        [switch]$Ours,
        [switch]$Floor
    )
    [pscustomobject]@{ Client = $Client; Value = $Value; Spread = $Spread; Extra = $Extra; Note = $Note; Ours = [bool]$Ours; Floor = [bool]$Floor }
}

function New-BenchResult {
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][string]$Title,
        [Parameter(Mandatory)][string]$Metric,
        [Parameter(Mandatory)][string]$Unit,
        [Parameter(Mandatory)][object[]]$Rows,
        [string]$Setup = '',
        [string[]]$Notes = @(),
        [switch]$HigherIsBetter,
        $FloorValue,
        [string]$FloorLabel = '',
        [object[]]$MemorySeries = @(),
        [System.Collections.IDictionary]$Goal = [ordered]@{}
    )
    [pscustomobject]@{
        Name = $Name; Title = $Title; Metric = $Metric; Unit = $Unit; Rows = $Rows; Setup = $Setup; Notes = $Notes
        HigherIsBetter = [bool]$HigherIsBetter; FloorValue = $FloorValue; FloorLabel = $FloorLabel
        MemorySeries = $MemorySeries; Goal = $Goal
    }
}

function Get-Ratio($Value, $Base) {
    if ($null -eq $Value -or $null -eq $Base -or [double]$Base -eq 0) { return $null }
    [math]::Round([double]$Value / [double]$Base, 2)
}

function ConvertTo-BenchTableRows {
    # The printed/Markdown shape of a result: client, metric, spread, × ours, × floor, the extra columns, note.
    param([Parameter(Mandatory)]$Result)
    $oursRow = $Result.Rows | Where-Object Ours | Select-Object -First 1
    $extraNames = [System.Collections.Generic.List[string]]::new()
    foreach ($row in $Result.Rows) { foreach ($k in $row.Extra.Keys) { if (-not $extraNames.Contains($k)) { $extraNames.Add($k) } } }
    foreach ($row in $Result.Rows) {
        $line = [ordered]@{
            Client                                  = $row.Client
            "$($Result.Metric) ($($Result.Unit))"   = if ($null -eq $row.Value) { '—' } else { $row.Value }
            Spread                                  = $row.Spread
            '× ours'                                = Get-Ratio $row.Value $oursRow.Value
            '× floor'                               = Get-Ratio $row.Value $Result.FloorValue
        }
        foreach ($k in $extraNames) { $line[$k] = if ($row.Extra.Contains($k)) { $row.Extra[$k] } else { '' } }
        $line.Note = $row.Note
        [pscustomobject]$line
    }
}

function Write-BenchTable {
    param([Parameter(Mandatory)]$Result)
    Write-Host ''
    Write-Host "== $($Result.Title)"
    if ($Result.Setup) { Write-Host "   $($Result.Setup)" }
    ConvertTo-BenchTableRows $Result | Format-Table -AutoSize -Wrap | Out-String -Width 250 | Out-Host
    foreach ($n in $Result.Notes) { Write-Host "   - $n" }
}

function ConvertTo-BenchMarkdown {
    param([Parameter(Mandatory)]$Result, [string]$ChartFile)
    $rows = @(ConvertTo-BenchTableRows $Result)
    $names = $rows[0].PSObject.Properties.Name
    $sb = [System.Text.StringBuilder]::new()
    [void]$sb.AppendLine("## $($Result.Title)").AppendLine()
    if ($Result.Setup) { [void]$sb.AppendLine($Result.Setup).AppendLine() }
    $direction = if ($Result.HigherIsBetter) { 'higher is better' } else { 'lower is better' }
    [void]$sb.AppendLine("Metric: $($Result.Metric) in $($Result.Unit) ($direction); floor: $(if ($null -ne $Result.FloorValue) { "$($Result.FloorValue) $($Result.Unit) — $($Result.FloorLabel)" } else { 'none' }).").AppendLine()
    [void]$sb.AppendLine('| ' + ($names -join ' | ') + ' |')
    [void]$sb.AppendLine('|' + (($names | ForEach-Object { '---' }) -join '|') + '|')
    foreach ($r in $rows) {
        $cells = foreach ($n in $names) { $v = $r.$n; if ($null -eq $v) { '' } else { ("$v" -replace '\|', '\|') } }
        [void]$sb.AppendLine('| ' + ($cells -join ' | ') + ' |')
    }
    [void]$sb.AppendLine()
    foreach ($g in $Result.Goal.Keys) { [void]$sb.AppendLine("- Goal: $g — **$($Result.Goal[$g])**") }
    foreach ($n in $Result.Notes) { [void]$sb.AppendLine("- $n") }
    if ($ChartFile) { [void]$sb.AppendLine().AppendLine("![$($Result.Name)]($ChartFile)") }
    [void]$sb.AppendLine()
    $sb.ToString()
}
#endregion

#region SVG charts (hand-written: no plotting dependency)
function Protect-Xml([string]$Text) { [System.Security.SecurityElement]::Escape($Text) }

function ConvertTo-BenchBarSvg {
    # Horizontal bars, one per client that ran: the ratio to the floor when the scenario has one, else to ours.
    param([Parameter(Mandatory)]$Result)
    $oursRow = $Result.Rows | Where-Object Ours | Select-Object -First 1
    $useFloor = $null -ne $Result.FloorValue
    $base = if ($useFloor) { $Result.FloorValue } else { $oursRow.Value }
    $label = if ($useFloor) { "× floor ($($Result.FloorLabel))" } else { '× ours' }
    $bars = @($Result.Rows | Where-Object { $null -ne $_.Value } | ForEach-Object {
            [pscustomobject]@{ Client = $_.Client; Ratio = Get-Ratio $_.Value $base; Ours = $_.Ours; Floor = $_.Floor } })
    $skipped = @($Result.Rows | Where-Object { $null -eq $_.Value })
    $max = [math]::Max(1.0, (($bars | Measure-Object Ratio -Maximum).Maximum))
    $left = 330; $width = 420; $rowH = 26; $top = 52
    $height = $top + ($bars.Count + $skipped.Count) * $rowH + 40
    $sb = [System.Text.StringBuilder]::new()
    [void]$sb.AppendLine("<svg xmlns=`"http://www.w3.org/2000/svg`" width=`"$($left + $width + 90)`" height=`"$height`" font-family=`"sans-serif`" font-size=`"12`">")
    [void]$sb.AppendLine("<rect width=`"100%`" height=`"100%`" fill=`"white`"/>")
    [void]$sb.AppendLine("<text x=`"10`" y=`"20`" font-size=`"14`" font-weight=`"bold`">$(Protect-Xml $Result.Title)</text>")
    $direction = if ($Result.HigherIsBetter) { 'higher is better' } else { 'lower is better' }
    [void]$sb.AppendLine("<text x=`"10`" y=`"38`" fill=`"#555`">$(Protect-Xml "$($Result.Metric) $label, $direction")</text>")
    $y = $top
    foreach ($bar in $bars) {
        $w = [math]::Max(1, [math]::Round($width * $bar.Ratio / $max))
        $color = if ($bar.Ours) { '#1f77b4' } elseif ($bar.Floor) { '#999999' } else { '#ff7f0e' }
        [void]$sb.AppendLine("<text x=`"$($left - 8)`" y=`"$($y + 15)`" text-anchor=`"end`">$(Protect-Xml $bar.Client)</text>")
        [void]$sb.AppendLine("<rect x=`"$left`" y=`"$($y + 3)`" width=`"$w`" height=`"$($rowH - 8)`" fill=`"$color`"/>")
        [void]$sb.AppendLine("<text x=`"$($left + $w + 5)`" y=`"$($y + 15)`">$($bar.Ratio)×</text>")
        $y += $rowH
    }
    foreach ($row in $skipped) {
        [void]$sb.AppendLine("<text x=`"$($left - 8)`" y=`"$($y + 15)`" text-anchor=`"end`" fill=`"#999`">$(Protect-Xml $row.Client)</text>")
        [void]$sb.AppendLine("<text x=`"$left`" y=`"$($y + 15)`" fill=`"#999`">$(Protect-Xml ("not run: " + $row.Note))</text>")
        $y += $rowH
    }
    $oneX = $left + [math]::Round($width / $max)
    [void]$sb.AppendLine("<line x1=`"$oneX`" y1=`"$($top - 4)`" x2=`"$oneX`" y2=`"$($y + 2)`" stroke=`"#333`" stroke-dasharray=`"3,3`"/>")
    [void]$sb.AppendLine("<text x=`"$oneX`" y=`"$($y + 16)`" text-anchor=`"middle`" fill=`"#333`">1×</text>")
    [void]$sb.AppendLine('</svg>')
    $sb.ToString()
}

function ConvertTo-BenchLineSvg {
    # Working set against users streamed: one polyline per client (-MemorySeries: Client, Points of {users, mib}).
    param([Parameter(Mandatory)]$Result)
    $series = @($Result.MemorySeries | Where-Object { $_.Points.Count -gt 0 })
    $palette = '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'
    $left = 70; $top = 50; $w = 560; $h = 300
    $maxX = [math]::Max(1, (($series.Points | ForEach-Object { [double]$_.users }) | Measure-Object -Maximum).Maximum)
    $maxY = [math]::Max(1, (($series.Points | ForEach-Object { [double]$_.mib }) | Measure-Object -Maximum).Maximum) * 1.1
    $sb = [System.Text.StringBuilder]::new()
    [void]$sb.AppendLine("<svg xmlns=`"http://www.w3.org/2000/svg`" width=`"$($left + $w + 260)`" height=`"$($top + $h + 50)`" font-family=`"sans-serif`" font-size=`"12`">")
    [void]$sb.AppendLine("<rect width=`"100%`" height=`"100%`" fill=`"white`"/>")
    [void]$sb.AppendLine("<text x=`"10`" y=`"20`" font-size=`"14`" font-weight=`"bold`">$(Protect-Xml $Result.Title)</text>")
    [void]$sb.AppendLine("<text x=`"10`" y=`"38`" fill=`"#555`">working set (MiB) by users streamed</text>")
    [void]$sb.AppendLine("<line x1=`"$left`" y1=`"$($top + $h)`" x2=`"$($left + $w)`" y2=`"$($top + $h)`" stroke=`"#333`"/>")
    [void]$sb.AppendLine("<line x1=`"$left`" y1=`"$top`" x2=`"$left`" y2=`"$($top + $h)`" stroke=`"#333`"/>")
    foreach ($i in 0..4) {
        $yv = [math]::Round($maxY * $i / 4); $yy = $top + $h - [math]::Round($h * $i / 4)
        [void]$sb.AppendLine("<text x=`"$($left - 6)`" y=`"$($yy + 4)`" text-anchor=`"end`">$yv</text>")
        $xv = [math]::Round($maxX * $i / 4); $xx = $left + [math]::Round($w * $i / 4)
        [void]$sb.AppendLine("<text x=`"$xx`" y=`"$($top + $h + 16)`" text-anchor=`"middle`">$xv</text>")
    }
    $k = 0
    foreach ($s in $series) {
        $color = $palette[$k % $palette.Count]
        $pts = ($s.Points | ForEach-Object {
                '{0},{1}' -f ($left + [math]::Round($w * [double]$_.users / $maxX, 1)), ($top + $h - [math]::Round($h * [double]$_.mib / $maxY, 1)) }) -join ' '
        [void]$sb.AppendLine("<polyline fill=`"none`" stroke=`"$color`" stroke-width=`"2`" points=`"$pts`"/>")
        [void]$sb.AppendLine("<rect x=`"$($left + $w + 15)`" y=`"$($top + $k * 20)`" width=`"12`" height=`"12`" fill=`"$color`"/>")
        [void]$sb.AppendLine("<text x=`"$($left + $w + 32)`" y=`"$($top + $k * 20 + 11)`">$(Protect-Xml $s.Client)</text>")
        $k++
    }
    [void]$sb.AppendLine('</svg>')
    $sb.ToString()
}
#endregion

#region peers
function Get-OfficialModulePath {
    # -CompareWith wins; else a checkout extracted at the usual place (see tests/bench/README.md).
    param([string]$CompareWith)
    if ($CompareWith) { return (Resolve-Path $CompareWith -ErrorAction Stop).Path }
    foreach ($candidate in @($env:OKTA_OFFICIAL_MODULE, '/tmp/official/src/Okta.PowerShell/Okta.PowerShell.psd1')) {
        if ($candidate -and (Test-Path $candidate)) { return (Resolve-Path $candidate).Path }
    }
    $null
}

function Get-NodePeer {
    # The Node SDK installed once into the peer folder (npm registry). Returns @{ Node; Script; Modules } or a reason.
    $node = Get-Command node -ErrorAction SilentlyContinue
    if (-not $node) { return [pscustomobject]@{ Ok = $false; Reason = 'node is not installed' } }
    $folder = Join-Path $script:PeerRoot 'node'
    $modules = Join-Path $folder 'node_modules'
    if (-not (Test-Path (Join-Path $modules '@okta/okta-sdk-nodejs'))) {
        New-Item -ItemType Directory -Force $folder | Out-Null
        $lock = Join-Path $script:RepositoryRoot 'crates/okta-sim/tools/sdk-smoke'
        Copy-Item (Join-Path $lock 'package.json'), (Join-Path $lock 'package-lock.json') $folder -Force
        $out = & npm ci --prefix $folder --no-audit --no-fund 2>&1
        if ($LASTEXITCODE -ne 0) { return [pscustomobject]@{ Ok = $false; Reason = "npm ci @okta/okta-sdk-nodejs failed: $(($out | Select-Object -Last 1))" } }
    }
    $version = (Get-Content -Raw (Join-Path $modules '@okta/okta-sdk-nodejs/package.json') | ConvertFrom-Json).version
    [pscustomobject]@{ Ok = $true; Node = $node.Source; Script = Join-Path $PSScriptRoot 'peers/node-peer.js'; Modules = $modules; Version = $version }
}

function Get-PythonPeer {
    # Okta's Python SDK in a venv the benchmark owns, from the offline wheels in ../shared/peers.
    $venv = Join-Path $script:PeerRoot 'py'
    $python = Join-Path $venv 'bin/python'
    if (-not (Test-Path $python)) {
        $wheels = Join-Path $script:RepositoryRoot '../shared/peers/python-okta-sdk-wheels'
        if (-not (Test-Path $wheels)) { $wheels = '/work/shared/peers/python-okta-sdk-wheels' }
        if (-not (Test-Path $wheels)) { return [pscustomobject]@{ Ok = $false; Reason = 'no Python SDK wheels (../shared/peers)' } }
        $py3 = Get-Command python3 -ErrorAction SilentlyContinue
        if (-not $py3) { return [pscustomobject]@{ Ok = $false; Reason = 'python3 is not installed' } }
        & $py3.Source -m venv $venv 2>&1 | Out-Null
        $out = & (Join-Path $venv 'bin/pip') install -q --no-index --find-links $wheels okta 2>&1
        if ($LASTEXITCODE -ne 0) { return [pscustomobject]@{ Ok = $false; Reason = "pip install okta failed: $(($out | Select-Object -Last 1))" } }
    }
    $version = (& $python -c 'import importlib.metadata as m; print(m.version("okta"))' 2>$null)
    if ($LASTEXITCODE -ne 0) { return [pscustomobject]@{ Ok = $false; Reason = 'the okta package does not import in the venv' } }
    [pscustomobject]@{ Ok = $true; Python = $python; Script = Join-Path $PSScriptRoot 'peers/python-peer.py'; Version = "$version" }
}

function Get-RustFloor {
    # okta-core's `latency` example (raw reqwest), in release. Always asked of cargo (a no-op when fresh): an
    # example built from older sources once failed a whole run's Rust rows.
    $exe = Join-Path $script:RepositoryRoot 'target/release/examples/latency'
    $out = & cargo build --release -q -p okta-core --example latency --manifest-path (Join-Path $script:RepositoryRoot 'Cargo.toml') 2>&1
    if ($LASTEXITCODE -ne 0) { return [pscustomobject]@{ Ok = $false; Reason = "cargo build of the latency example failed: $(($out | Select-Object -Last 1))" } }
    [pscustomobject]@{ Ok = $true; Exe = $exe }
}

function Invoke-BenchProcess {
    # Runs a peer process with a deadline and returns its last stdout line parsed as JSON. A peer that fails
    # or overruns throws with its stderr tail (the scenario turns that into a row note, never a silent gap).
    param([Parameter(Mandatory)][string]$FilePath, [string[]]$ArgumentList = @(), [int]$TimeoutSec = 600, [hashtable]$Environment = @{})
    $info = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $info.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $info.Environment[$k] = $Environment[$k] }
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSec * 1000)) {
        $process.Kill($true); $process.WaitForExit()
        throw "$([IO.Path]::GetFileName($FilePath)) overran its $TimeoutSec s deadline"
    }
    $process.WaitForExit()
    $code = $process.ExitCode; $process.Dispose()
    $lines = @($stdout.Result -split "`n" | Where-Object { $_.Trim() })
    if ($code -ne 0 -or $lines.Count -eq 0) {
        $tail = (($stderr.Result -split "`n" | Where-Object { $_.Trim() } | Select-Object -Last 3) -join ' / ')
        throw "$([IO.Path]::GetFileName($FilePath)) exited $code`: $tail"
    }
    $lines[-1] | ConvertFrom-Json
}

function Invoke-NodePeer([Parameter(Mandatory)]$Peer, [string]$Mode, $Sim, [hashtable]$Options, [int]$TimeoutSec = 600) {
    Invoke-BenchProcess -FilePath $Peer.Node -ArgumentList $Peer.Script, $Mode, $Sim.Url, $Sim.Token, ($Options | ConvertTo-Json -Compress -Depth 5) `
        -TimeoutSec $TimeoutSec -Environment @{ OKTA_BENCH_NODE_MODULES = $Peer.Modules }
}

function Invoke-PythonPeer([Parameter(Mandatory)]$Peer, [string]$Mode, $Sim, [hashtable]$Options, [int]$TimeoutSec = 600) {
    Invoke-BenchProcess -FilePath $Peer.Python -ArgumentList $Peer.Script, $Mode, $Sim.Url, $Sim.Token, ($Options | ConvertTo-Json -Compress -Depth 5) -TimeoutSec $TimeoutSec
}

function Invoke-PwshChild {
    # A fresh pwsh running one of tests/bench/scenarios/*-child.ps1; its last line is JSON.
    param([Parameter(Mandatory)][string]$Script, [string[]]$ArgumentList = @(), [int]$TimeoutSec = 600)
    $dotnet = (Get-Command dotnet -ErrorAction Stop).Source
    Invoke-BenchProcess -FilePath $dotnet -ArgumentList (@('pwsh', '-NoProfile', '-NonInteractive', '-File', $Script) + $ArgumentList) -TimeoutSec $TimeoutSec
}
#endregion

#region simulator
function Start-BenchSimulator {
    # okta-sim with a seed and flags, from the laid-out module (so the harness and tests use the same binary).
    param([int]$Users = 0, [string[]]$ArgumentList = @())
    $arguments = @($ArgumentList)
    if ($Users -gt 0) { $arguments += '--seed', "$Users" }
    Start-OktaSimulator -ArgumentList $arguments
}

function Get-SimStats($Sim) {
    Invoke-RestMethod -Uri "$($Sim.Url)/__sim/stats"
}
#endregion

Export-ModuleMember -Function *

function Initialize-HttpFloor {
    # Compiles tests/bench/HttpFloor.cs once per process.
    if (-not ('OktaBenchHttpFloor' -as [type])) { Add-Type -Path (Join-Path $PSScriptRoot 'HttpFloor.cs') }
}
Export-ModuleMember -Function Initialize-HttpFloor
