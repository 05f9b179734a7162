# Scenario 1: cold Import-Module in fresh processes — ours, the official module, and an empty module (the
# fixed cost of any import: the floor). Samples interleaved, so a busy moment of the machine hits all alike.
param([Parameter(Mandatory)]$Context)

$samples = $Context.Sizes.ImportSamples
$empty = Join-Path ([IO.Path]::GetTempPath()) 'okta-bench-empty/Empty.psm1'
New-Item -ItemType Directory -Force (Split-Path $empty) | Out-Null
Set-Content $empty '# an empty module: the fixed cost of any Import-Module'

function Measure-ImportOnce([string]$Manifest) {
    $script = "`$before = [Environment]::WorkingSet; `$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$Manifest' -ErrorAction Stop; `$ms = `$w.Elapsed.TotalMilliseconds; [pscustomobject]@{ ms = `$ms; mib = ([Environment]::WorkingSet - `$before) / 1MB } | ConvertTo-Json -Compress"
    Invoke-BenchProcess -FilePath (Get-Command dotnet).Source -ArgumentList 'pwsh', '-NoProfile', '-NonInteractive', '-Command', $script -TimeoutSec 120
}

$clients = [ordered]@{ 'Okta.PowerShell (ours)' = Join-Path $Context.Root 'Okta.PowerShell.psd1' }
if ($Context.Official.Ok) { $clients['official module 2.0.2'] = $Context.Official.Path }
$clients['empty module (floor)'] = $empty
$measured = @{}
foreach ($name in $clients.Keys) { $measured[$name] = [System.Collections.Generic.List[object]]::new() }
foreach ($i in 1..$samples) {
    foreach ($name in $clients.Keys) { $measured[$name].Add((Measure-ImportOnce $clients[$name])) }
}

$rows = foreach ($name in $clients.Keys) {
    $stats = Get-BenchStats ([double[]]$measured[$name].ms) -Digits 0
    $mib = Get-BenchStats ([double[]]$measured[$name].mib) -Digits 1
    New-BenchRow -Client $name -Value $stats.Median -Spread $stats.Spread -Extra ([ordered]@{ 'added MiB' = $mib.Median; runs = $stats.Count }) `
        -Ours:($name -like '*(ours)') -Floor:($name -like '*(floor)')
}
if (-not $Context.Official.Ok) { $rows = @($rows) + (New-BenchRow -Client 'official module 2.0.2' -Note $Context.Official.Reason) }
$ours = ($rows | Where-Object Ours).Value
$official = ($rows | Where-Object Client -EQ 'official module 2.0.2').Value
$floor = ($rows | Where-Object Floor).Value

New-BenchResult -Name 'import' -Title '1. Cold Import-Module' -Metric 'median' -Unit 'ms' -Rows $rows `
    -FloorValue $floor -FloorLabel 'Import-Module of an empty module in the same kind of process' `
    -Setup "$samples fresh ``pwsh`` processes per module, interleaved; only the Import-Module inside the process is timed (pwsh start-up is not)." `
    -Goal ([ordered]@{
        'import ≤ 300 ms'                = if ($ours -le 300) { "met ($ours ms)" } else { "missed ($ours ms)" }
        '≥ 6× faster than the official'  = if ($official) { $x = [math]::Round($official / $ours, 1); if ($x -ge 6) { "met ($x×)" } else { "missed ($x×)" } } else { 'not measured (official module not found)' }
    })
