# Scenario 6: 8 concurrent workers hammering one org for a fixed time — mixed reads and writes (three
# Get user, then one partial update of the worker's own user). PowerShell clients run 8 runspaces
# (ForEach-Object -Parallel); the SDKs run 8 concurrent tasks in one process (their concurrency model).
# Each client gets a fresh simulator; 429s are counted on it (API requests answered minus operations done).
param([Parameter(Mandatory)]$Context)

$seconds = $Context.Sizes.ParallelSeconds
$workers = $Context.Sizes.ParallelWorkers
$spec = if ($Context.Quick) { '100/1s' } else { '1000/10s' }
$budgetPerSecond = [double]($spec -split '/')[0] / [double](($spec -split '/')[1] -replace 's$', '')

# The runspace body: set up the client, wait for all workers, loop until the deadline. $client picks the calls.
$worker = {
    $w = $_
    $p = $using:parameters
    $ids = $p.Ids; $own = $ids[$w % $ids.Count]
    switch ($p.Client) {
        'ours' {
            Import-Module $p.Module
            Set-OktaConfiguration -BaseUrl $p.Url -ApiKey @{ apitoken = $p.Token } -MaxRetries 10
            $read = { param($id) $null = Get-OktaUser -UserId $id }
            $write = { param($nick) $null = Invoke-OktaPartialUpdateUser -UserId $own -User @{ profile = @{ nickName = $nick } } }
        }
        'official' {
            Import-Module $p.Module
            Set-OktaConfiguration -BaseUrl $p.Url -ApiKey @{ apitoken = $p.Token } -MaxRetries 10 | Out-Null
            $read = { param($id) $null = Get-OktaUser -UserId $id }
            $write = { param($nick) $null = Invoke-OktaPartialUpdateUser -UserId $own -User @{ profile = @{ nickName = $nick } } }
        }
        'irm' {
            $session = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
            $headers = @{ Authorization = "SSWS $($p.Token)"; Accept = 'application/json' }
            $read = { param($id) $null = Invoke-RestMethod -Uri "$($p.Url)/api/v1/users/$id" -Headers $headers -WebSession $session -MaximumRetryCount 10 -RetryIntervalSec 1 }
            $write = { param($nick) $null = Invoke-RestMethod -Method Post -Uri "$($p.Url)/api/v1/users/$own" -Headers $headers -WebSession $session -ContentType 'application/json' -Body "{`"profile`":{`"nickName`":`"$nick`"}}" -MaximumRetryCount 10 -RetryIntervalSec 1 }
        }
    }
    $null = $p.Barrier.Signal(); $p.Barrier.Wait()   # Signal returns a bool: not output
    $deadline = [DateTime]::UtcNow.AddSeconds($p.Seconds)
    $ops = 0; $errors = 0; $i = 0
    while ([DateTime]::UtcNow -lt $deadline) {
        try { if ($i % 4 -eq 3) { & $write "n$w-$i" } else { & $read $ids[($w + $i) % $ids.Count] }; $ops++ } catch { $errors++ }
        $i++
    }
    [pscustomobject]@{ worker = $w; ops = $ops; errors = $errors }
}

function Invoke-RunspaceClient([string]$Client, $Sim, [string[]]$Ids, [string]$Module) {
    $parameters = @{ Client = $Client; Url = $Sim.Url; Token = $Sim.Token; Ids = $Ids; Module = $Module; Seconds = $seconds; Barrier = [System.Threading.CountdownEvent]::new($workers) }
    $results = 0..($workers - 1) | ForEach-Object -Parallel $worker -ThrottleLimit $workers
    [pscustomobject]@{ ops = @($results | Sort-Object worker | ForEach-Object ops); errors = @($results | Sort-Object worker | ForEach-Object errors) }
}

$clients = [ordered]@{
    'ours (8 runspaces)'                = { param($sim, $ids) Invoke-RunspaceClient ours $sim $ids (Join-Path $Context.Root 'Okta.PowerShell.psd1') }
    'Invoke-RestMethod (8 runspaces)'   = { param($sim, $ids) Invoke-RunspaceClient irm $sim $ids '' }
}
$rows = [System.Collections.Generic.List[object]]::new()
if ($Context.Official.Ok) { $clients['official module 2.0.2 (8 runspaces)'] = { param($sim, $ids) Invoke-RunspaceClient official $sim $ids $Context.Official.Path } }
else { $rows.Add((New-BenchRow -Client 'official module 2.0.2' -Note $Context.Official.Reason)) }
if ($Context.Node.Ok) { $clients["Node SDK $($Context.Node.Version) (8 async workers)"] = { param($sim, $ids) Invoke-NodePeer $Context.Node parallel $sim @{ workers = $workers; seconds = $seconds; userIds = $ids; maxRetries = 10 } -TimeoutSec ($seconds * 3 + 120) } }
else { $rows.Add((New-BenchRow -Client 'Node SDK' -Note $Context.Node.Reason)) }
if ($Context.Python.Ok) { $clients["Python SDK $($Context.Python.Version) (8 asyncio tasks)"] = { param($sim, $ids) Invoke-PythonPeer $Context.Python parallel $sim @{ workers = $workers; seconds = $seconds; userIds = $ids; maxRetries = 10 } -TimeoutSec ($seconds * 3 + 120) } }
else { $rows.Add((New-BenchRow -Client 'Python SDK' -Note $Context.Python.Reason)) }

foreach ($name in $clients.Keys) {
    $sim = Start-BenchSimulator -Users 50 -ArgumentList '--rate-limit', "users=$spec", '--rate-limit', 'default=100000000/60s'
    try {
        $ids = @((Invoke-RestMethod -Uri "$($sim.Url)/api/v1/users?limit=50" -Headers @{ Authorization = "SSWS $($sim.Token)" }).id)
        Invoke-RestMethod -Method Post -Uri "$($sim.Url)/__sim/rate-limits/reset" | Out-Null   # the listing above must not use the client's budget
        $before = Get-SimStats $sim
        $r = & $clients[$name] $sim $ids
        $after = Get-SimStats $sim
        $ops = ($r.ops | Measure-Object -Sum).Sum
        $errors = ($r.errors | Measure-Object -Sum).Sum
        $requests = $after.requests - $before.requests - 1
        $rows.Add((New-BenchRow -Client $name -Value ([math]::Round($ops / $seconds, 1)) -Ours:($name -like 'ours*') -Extra ([ordered]@{
                        'operations'     = $ops
                        '429s (refused)' = [math]::Max(0, $requests - $ops)
                        'client errors'  = $errors
                        'fairness (Jain)' = Get-JainFairness ([double[]]$r.ops)
                        'per worker min–max' = '{0}–{1}' -f ($r.ops | Measure-Object -Minimum).Minimum, ($r.ops | Measure-Object -Maximum).Maximum
                    })))
    } catch {
        $rows.Add((New-BenchRow -Client $name -Note "failed: $_"))
    } finally { Stop-OktaSimulator $sim }
}
New-BenchResult -Name 'parallel' -Title "6. $workers workers on one org for $seconds s (3 reads : 1 write)" -Metric 'throughput' -Unit 'ops/s' -HigherIsBetter -Rows $rows `
    -FloorValue $budgetPerSecond -FloorLabel "the users bucket's budget, $spec" `
    -Setup "A fresh okta-sim per client, ``--rate-limit users=$spec`` (every call here is in the users bucket), 50 seeded users; each worker reads users round-robin and partially updates its own user every fourth call. Every client retries 429s (10 tries; Invoke-RestMethod: -MaximumRetryCount 10, 1 s apart)." `
    -Notes @('Here the ceiling is the budget, not the client: the question is how close to it a client gets, with how many 429s and how evenly its workers share it (Jain''s index: 1 = equal shares).', '429s (refused) counts API answers that did not complete an operation, on the simulator; a failed operation after its retries counts there too.')
