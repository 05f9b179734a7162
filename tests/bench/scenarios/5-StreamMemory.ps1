# Scenario 5: memory while streaming every user (the issue: 1,000,000). Each client runs in a fresh process
# (so one client's heap never counts against another) and samples its own working set (RSS) every tenth of
# the run. Peak and slope (MiB per 100,000 users, least squares over the samples after the first tenth).
param([Parameter(Mandatory)]$Context)

$users = $Context.Sizes.StreamUsers
$every = [math]::Max(1, [int]($users / 10))
$sim = Start-BenchSimulator -Users $users -ArgumentList '--rate-limit', 'default=100000000/60s', '--rate-limit', 'users=100000000/60s'
try {
    $expected = (Get-SimStats $sim).users
    $child = Join-Path $PSScriptRoot 'stream-child.ps1'
    $timeout = [int](120 + $users / 1000)   # generous: 1 ms a user plus start-up
    $clients = [ordered]@{
        'Invoke-OktaListUsers -All (ours)' = { Invoke-PwshChild $child -ArgumentList '-Client', 'ours', '-Url', $sim.Url, '-Token', $sim.Token, '-SampleEvery', $every, '-Module', (Join-Path $Context.Root 'Okta.PowerShell.psd1') -TimeoutSec $timeout }
        'Invoke-RestMethod -FollowRelLink'  = { Invoke-PwshChild $child -ArgumentList '-Client', 'irm', '-Url', $sim.Url, '-Token', $sim.Token, '-SampleEvery', $every -TimeoutSec $timeout }
    }
    $rows = [System.Collections.Generic.List[object]]::new()
    if ($Context.Official.Ok) { $clients['official module 2.0.2 (page loop)'] = { Invoke-PwshChild $child -ArgumentList '-Client', 'official', '-Url', $sim.Url, '-Token', $sim.Token, '-SampleEvery', $every, '-Module', $Context.Official.Path -TimeoutSec $timeout } }
    else { $rows.Add((New-BenchRow -Client 'official module 2.0.2' -Note $Context.Official.Reason)) }
    if ($Context.Node.Ok) { $clients["Node SDK $($Context.Node.Version) (collection.each)"] = { Invoke-NodePeer $Context.Node list $sim @{ limit = 200; sampleEvery = $every } -TimeoutSec $timeout } }
    else { $rows.Add((New-BenchRow -Client 'Node SDK' -Note $Context.Node.Reason)) }
    if ($Context.Python.Ok) { $clients["Python SDK $($Context.Python.Version) (has_next/next)"] = { Invoke-PythonPeer $Context.Python list $sim @{ limit = 200; sampleEvery = $every } -TimeoutSec $timeout } }
    else { $rows.Add((New-BenchRow -Client 'Python SDK' -Note $Context.Python.Reason)) }

    $series = [System.Collections.Generic.List[object]]::new()
    foreach ($name in $clients.Keys) {
        try { $r = & $clients[$name] }
        catch { $rows.Add((New-BenchRow -Client $name -Note "failed: $_")); continue }
        $points = @($r.memory | ForEach-Object { [pscustomobject]@{ users = [double]$_.users; mib = [double]$_.mib } })
        $series.Add([pscustomobject]@{ Client = $name; Points = $points })
        $peak = ($points | Measure-Object mib -Maximum).Maximum
        $fit = @($points | Where-Object { $_.users -ge $every })
        $slope = if ($fit.Count -ge 2) {
            $mx = ($fit | Measure-Object users -Average).Average; $my = ($fit | Measure-Object mib -Average).Average
            $num = ($fit | ForEach-Object { ($_.users - $mx) * ($_.mib - $my) } | Measure-Object -Sum).Sum
            $den = ($fit | ForEach-Object { ($_.users - $mx) * ($_.users - $mx) } | Measure-Object -Sum).Sum
            [math]::Round($num / $den * 100000, 2)
        }
        $note = if ([int]$r.count -ne $expected) { "streamed $($r.count) of $expected" } else { '' }
        $rows.Add((New-BenchRow -Client $name -Value ([math]::Round($peak, 1)) -Ours:($name -like '*(ours)') -Note $note -Extra ([ordered]@{
                        'first sample MiB'     = ($points | Where-Object users -GE $every | Select-Object -First 1).mib
                        # highest minus lowest working set from the first sample (one tenth in, past start-up) to the end
                        'range MiB'            = if ($fit.Count -ge 1) { [math]::Round(($fit | Measure-Object mib -Maximum).Maximum - ($fit | Measure-Object mib -Minimum).Minimum, 1) }
                        'slope MiB/100k users' = $slope
                        'wall s'               = [math]::Round([double]$r.ms / 1000, 1)
                        'users/s'              = [math]::Round($expected / ([double]$r.ms / 1000))
                    })))
    }
    $ours = $rows | Where-Object Ours | Select-Object -First 1
    New-BenchResult -Name 'memory' -Title "5. Memory while streaming $expected users" -Metric 'peak working set' -Unit 'MiB' -Rows $rows -MemorySeries $series `
        -Setup "okta-sim ``--seed $users``, no latency or limits, page size 200; each client in a fresh process counts users one by one (PowerShell: ``| ForEach-Object``) and samples its working set every $every users." `
        -Notes @('Process baselines differ (a pwsh process starts near 100 MiB, node and python far lower): the slope, not the peak, says whether a client streams.') `
        -Goal ([ordered]@{ 'streaming memory flat (ours: working set within 50 MiB from the first sample to the end, as issue 15 asks)' = if ($null -ne $ours.Extra -and $null -ne $ours.Extra['range MiB'] -and [double]$ours.Extra['range MiB'] -le 50) { "met ($($ours.Extra['range MiB']) MiB)" } else { "missed ($(if ($ours.Extra) { $ours.Extra['range MiB'] }) MiB)" } })
} finally {
    Stop-OktaSimulator $sim
}
