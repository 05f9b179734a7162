# Scenario 3: list every user through added latency (the issue: 100,000 users, 20 ms, page size 200).
# The arithmetic floor is pages × latency: a client that fetches pages one after another cannot beat it.
# Runs are interleaved by round; a client slower than 45 s a run is measured once (its note says so).
param([Parameter(Mandatory)]$Context)

$users = $Context.Sizes.ListUsers
$latency = $Context.Sizes.ListLatencyMs
$limit = 200
$rounds = $Context.Sizes.Rounds
$sim = Start-BenchSimulator -Users $users -ArgumentList '--latency', "${latency}ms", '--rate-limit', 'default=100000000/60s', '--rate-limit', 'users=100000000/60s'
try {
    $expected = (Get-SimStats $sim).users
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
    $headers = @{ Authorization = "SSWS $($sim.Token)"; Accept = 'application/json' }
    $first = "$($sim.Url)/api/v1/users?limit=$limit"
    function Measure-Block([scriptblock]$Block) {
        $w = [Diagnostics.Stopwatch]::StartNew(); $n = & $Block
        [pscustomobject]@{ count = $n; ms = $w.Elapsed.TotalMilliseconds }
    }
    $clients = [ordered]@{}
    $clients['Invoke-OktaListUsers -All (ours)'] = { Measure-Block { @(Invoke-OktaListUsers -All -Limit $limit).Count } }
    # The same list streamed, kept by nobody (Export-Csv, Where-Object): the pipeline never waits for the collector.
    $clients['Invoke-OktaListUsers -All | Measure-Object (ours, streamed)'] = { Measure-Block { (Invoke-OktaListUsers -All -Limit $limit | Measure-Object).Count } }
    $clients['Invoke-RestMethod -FollowRelLink'] = { Measure-Block {
            $session = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
            # Each followed page comes out as one array: flatten it into one list, as @() does for the others.
            $all = [System.Collections.Generic.List[object]]::new()
            foreach ($page in Invoke-RestMethod -Uri $first -Headers $headers -WebSession $session -FollowRelLink -MaximumFollowRelLink ([int]::MaxValue) -PreserveAuthorizationOnRedirect) { $all.AddRange([object[]]@($page)) }
            $all.Count } }
    $skipped = [System.Collections.Generic.List[object]]::new()
    if ($Context.Official.Ok) {
        Import-Module $Context.Official.Path -Prefix Other -Force -Global
        Set-OtherOktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } | Out-Null
        # The official module's documented paging: -WithHttpInfo, then -Uri NextPageUri.
        $clients['official module 2.0.2 (-WithHttpInfo loop)'] = { Measure-Block {
                $all = [System.Collections.Generic.List[object]]::new()
                $r = Invoke-OtherOktaListUsers -Limit $limit -WithHttpInfo
                $all.AddRange(@($r.Response))
                while ($r.NextPageUri) { $r = Invoke-OtherOktaListUsers -Uri $r.NextPageUri -WithHttpInfo; $all.AddRange(@($r.Response)) }
                $all.Count } }
    } else { $skipped.Add((New-BenchRow -Client 'official module 2.0.2' -Note $Context.Official.Reason)) }
    if ($Context.Node.Ok) { $clients["Node SDK $($Context.Node.Version) (collection.each into an array)"] = { Invoke-NodePeer $Context.Node list $sim @{ limit = $limit; keep = $true } -TimeoutSec 900 } }
    else { $skipped.Add((New-BenchRow -Client 'Node SDK' -Note $Context.Node.Reason)) }
    if ($Context.Python.Ok) { $clients["Python SDK $($Context.Python.Version) (paginate_all)"] = { Invoke-PythonPeer $Context.Python list $sim @{ limit = $limit } -TimeoutSec 900 } }
    else { $skipped.Add((New-BenchRow -Client 'Python SDK' -Note $Context.Python.Reason)) }
    Initialize-HttpFloor
    $clients['.NET HttpClient loop (JsonDocument)'] = { $r = [OktaBenchHttpFloor]::List($first, $sim.Token); [pscustomobject]@{ count = $r[0]; ms = $r[2] } }
    if ($Context.Rust.Ok) { $clients['Rust reqwest loop (serde_json)'] = { Invoke-BenchProcess $Context.Rust.Exe -ArgumentList list, $sim.Url, $sim.Token, $limit -TimeoutSec 600 } }
    else { $skipped.Add((New-BenchRow -Client 'Rust reqwest loop' -Note $Context.Rust.Reason)) }

    $runs = @{}; $notes = @{}; $failed = @{}
    foreach ($name in $clients.Keys) { $runs[$name] = [System.Collections.Generic.List[double]]::new(); $notes[$name] = '' }
    foreach ($round in 1..$rounds) {
        foreach ($name in $clients.Keys) {
            if ($failed[$name]) { continue }
            if ($round -gt 1 -and $runs[$name].Count -gt 0 -and $runs[$name][0] -gt 45) { $notes[$name] = 'one run (over 45 s a run)'; continue }
            # Untimed: collect what the previous client left (100,000 kept users are ~1.9 GB of objects), so no
            # client pays for sweeping another's garbage. Every PowerShell client gets the same.
            [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
            try {
                $r = & $clients[$name]
                if ([int]$r.count -ne $expected) { $notes[$name] = "listed $($r.count) of $expected" }
                $runs[$name].Add([double]$r.ms / 1000)
            } catch { $failed[$name] = "failed: $_" }
        }
    }
    $pages = [math]::Ceiling($expected / $limit)
    $floor = [math]::Round($pages * $latency / 1000, 2)
    $rows = foreach ($name in $clients.Keys) {
        if ($failed[$name]) { New-BenchRow -Client $name -Note $failed[$name]; continue }
        $s = Get-BenchStats $runs[$name].ToArray() -Digits 2
        New-BenchRow -Client $name -Value $s.Median -Spread $s.Spread -Extra ([ordered]@{ 'users/s' = [math]::Round($expected / $s.Median); runs = $s.Count }) `
            -Note $notes[$name] -Ours:($name -like '*(ours)') -Floor:($name -match 'loop \(')
    }
    $rows = @($rows) + $skipped
    $ours = ($rows | Where-Object Ours).Value
    $streamed = ($rows | Where-Object Client -like '*(ours, streamed)').Value
    New-BenchResult -Name 'list' -Title "3. List $expected users, ${latency} ms latency, page size $limit" -Metric 'median wall time' -Unit 's' -Rows $rows `
        -FloorValue $floor -FloorLabel "$pages pages × $latency ms" `
        -Setup "okta-sim ``--seed $users --latency ${latency}ms``, no rate limits; $rounds interleaved run(s) per client; every client keeps all users (PowerShell: ``@(...)``; Node: ``each`` into an array; Python: ``paginate_all`` into a list), and ours also streams them to ``Measure-Object``; the floors parse each page and keep nothing." `
        -Goal ([ordered]@{
            'ours ≤ 1.15× the latency floor (kept)' = if ($ours -le 1.15 * $floor) { "met ($([math]::Round($ours / $floor, 2))×)" } else { "missed ($([math]::Round($ours / $floor, 2))×)" }
            'ours ≤ 1.15× the latency floor (streamed)' = if ($streamed -and $streamed -le 1.15 * $floor) { "met ($([math]::Round($streamed / $floor, 2))×)" } elseif ($streamed) { "missed ($([math]::Round($streamed / $floor, 2))×)" } else { 'not measured' }
        })
} finally {
    Stop-OktaSimulator $sim
}
