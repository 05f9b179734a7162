<#
.SYNOPSIS
Rewrites the README's performance table from the latest benchmark results file.
.DESCRIPTION
Reads the newest bench/results/<yyyy-MM-dd>.md (or -ResultsFile), takes each scenario's table (ours, the
official module, Invoke-RestMethod, the Node and Python SDKs, the floor) and replaces what stands between
`<!-- bench:results:start -->` and `<!-- bench:results:end -->` in README.md. Nothing else in the README changes.
Quick runs (their title says so) are refused: their numbers are not claims.
.PARAMETER ResultsFile
A results file to use instead of the newest one.
.PARAMETER ReadmePath
The README to rewrite (default: the repository's README.md).
.EXAMPLE
dotnet pwsh ./tests/bench/Update-ReadmePerformance.ps1
#>
[CmdletBinding()]
Param(
    [string]$ResultsFile,
    [string]$ReadmePath
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not $ReadmePath) { $ReadmePath = Join-Path $root 'README.md' }
if (-not $ResultsFile) {
    $latest = Get-ChildItem (Join-Path $root 'bench/results') -Filter '*.md' | Where-Object Name -Match '^\d{4}-\d{2}-\d{2}\.md$' | Sort-Object Name | Select-Object -Last 1
    if (-not $latest) { throw 'No results file under bench/results: run tests/bench/Invoke-Benchmarks.ps1 first.' }
    $ResultsFile = $latest.FullName
}
$lines = Get-Content $ResultsFile
if ($lines[0] -match 'quick') { throw "$ResultsFile is a -Quick run (a harness check, not a claim): the README is left as it is." }
$date = [IO.Path]::GetFileNameWithoutExtension($ResultsFile)
$machine = ($lines | Where-Object { $_ -like '- Machine:*' } | Select-Object -First 1) -replace '^- Machine:\s*', ''

# Sections: "## <title>", a "Metric: ... floor: <value> <unit> — <label>." line, then a Markdown table.
$sections = [System.Collections.Generic.List[object]]::new()
$current = $null
foreach ($line in $lines) {
    if ($line -match '^## (.+)$') { $current = [pscustomobject]@{ Title = $Matches[1]; Metric = ''; Floor = ''; Header = $null; Rows = [System.Collections.Generic.List[object]]::new() }; $sections.Add($current); continue }
    if (-not $current) { continue }
    if ($line -match '^Metric: (.+?) in (\S+) \((lower|higher) is better\); floor: (.+?)\.?$') {
        $current.Metric = "$($Matches[1]) ($($Matches[2]), $($Matches[3]) is better)"
        $current.Floor = if ($Matches[4] -eq 'none') { '' } else { ($Matches[4] -split ' — ')[0] }
        continue
    }
    if ($line -match '^\|' -and $line -notmatch '^\|---') {
        $cells = @(($line.Trim().Trim('|') -split '(?<!\\)\|') | ForEach-Object { $_.Trim() })
        if (-not $current.Header) { $current.Header = $cells } else { $current.Rows.Add($cells) }
    }
}

$columns = [ordered]@{
    'Okta.PowerShell'   = { param($c) $c -match '\bours\b' }
    'official 2.0.2'    = { param($c) $c -like 'official*' }
    'Invoke-RestMethod' = { param($c) $c -like 'Invoke-RestMethod*' -or $c -like 'ConvertFrom-Json*' }
    'Node SDK'          = { param($c) $c -like 'Node SDK*' }
    'Python SDK'        = { param($c) $c -like 'Python SDK*' }
}
$sb = [System.Text.StringBuilder]::new()
[void]$sb.AppendLine("Measured $date on $machine, all clients in one run against the same okta-sim (from [``bench/results/$date.md``](bench/results/$date.md), written by ``tests/bench/Invoke-Benchmarks.ps1``; the machine was shared with other builds, so compare within a row). A peer's cell shows its value and, in brackets, its ratio to ours.")
[void]$sb.AppendLine()
[void]$sb.AppendLine('| scenario | metric | ' + (@($columns.Keys) -join ' | ') + ' | floor |')
[void]$sb.AppendLine('|---|---|' + ((@($columns.Keys) | ForEach-Object { '---' }) -join '|') + '|---|')
foreach ($s in $sections) {
    if (-not $s.Header) { continue }
    $valueIndex = 1; $ratioIndex = [array]::IndexOf($s.Header, '× ours'); $noteIndex = [array]::IndexOf($s.Header, 'Note')
    $cells = foreach ($col in $columns.Keys) {
        $row = $s.Rows | Where-Object { & $columns[$col] $_[0] } | Select-Object -First 1
        if (-not $row) { '' }
        elseif ($row[$valueIndex] -eq '—') { 'not run' + $(if ($noteIndex -ge 0 -and $row[$noteIndex]) { ": $($row[$noteIndex] -replace '^failed: (.{0,60}).*$', 'failed: $1')" }) }
        else {
            $cell = if ($col -eq 'Okta.PowerShell' -or $ratioIndex -lt 0) { $row[$valueIndex] } else { "$($row[$valueIndex]) ($($row[$ratioIndex])×)" }
            # the columns a goal of the issue is about, beside the headline number
            $extras = [ordered]@{ 'budget used %' = 'budget {0} %'; '429 %' = '429s {0} %'; 'lost' = 'lost {0}'; 'slope MiB/100k users' = 'slope {0} MiB/100k' }
            if ([array]::IndexOf($s.Header, '429 %') -lt 0) { $extras['429s (refused)'] = '429s {0}' }
            $parts = foreach ($key in $extras.Keys) {
                $k = [array]::IndexOf($s.Header, $key)
                if ($k -ge 0 -and $row[$k] -ne '') { $extras[$key] -f $row[$k] }
            }
            if ($parts) { $cell = "$cell — $($parts -join ', ')" }
            $cell
        }
    }
    [void]$sb.AppendLine("| $($s.Title -replace '^\d+b?\.\s*', '') | $($s.Metric) | $($cells -join ' | ') | $($s.Floor) |")
}
$table = $sb.ToString().TrimEnd()

$readme = Get-Content -Raw $ReadmePath
$start = '<!-- bench:results:start -->'; $end = '<!-- bench:results:end -->'
$i = $readme.IndexOf($start); $j = $readme.IndexOf($end)
if ($i -lt 0 -or $j -lt $i) { throw "README has no $start … $end markers around its performance table." }
$updated = $readme.Substring(0, $i + $start.Length) + "`n" + $table + "`n" + $readme.Substring($j)
Set-Content -Path $ReadmePath -Value $updated -NoNewline -Encoding utf8NoBOM
Write-Host "README performance table rewritten from $ResultsFile"
