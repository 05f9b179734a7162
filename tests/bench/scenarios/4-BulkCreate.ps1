# Scenario 4: bulk creates under a users rate limit. Each client gets a fresh simulator (fresh windows).
# Counted on the simulator, not trusted from the client: users created (→ lost) and API requests it
# answered (→ refused requests, i.e. 429s). okta-sim windows are fixed and start at a bucket's first request,
# so the arithmetic floor for N creates at L per W is (ceil(N/L) - 1) × W, and the budget a run spanned is
# ceil(wall / W) × L.
param([Parameter(Mandatory)]$Context)

$count = $Context.Sizes.CreateUsers
$spec = $Context.Sizes.CreateRateLimit
$limitPerWindow = [int]($spec -split '/')[0]
$windowText = ($spec -split '/')[1]
$windowSeconds = if ($windowText -match '^(\d+(?:\.\d+)?)s$') { [double]$Matches[1] } elseif ($windowText -match '^(\d+)m$') { 60 * [double]$Matches[1] } else { throw "CreateRateLimit: use N/<seconds>s or N/<minutes>m, not '$spec'" }
$retries = 10

function New-Bodies([string]$Prefix) {
    foreach ($i in 0..($count - 1)) {
        $login = "$Prefix$i@example.com"
        @{ profile = @{ firstName = 'Bench'; lastName = 'Create'; email = $login; login = $login } }
    }
}

# Each client: a scriptblock given the simulator, returning @{ created (as the client saw it); errors; ms }.
$clients = [ordered]@{}
$clients['New-OktaUser -ThrottleLimit 8 (ours)'] = {
    param($sim)
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } -MaxRetries $retries
    $bodies = @(New-Bodies 'ours8-')
    $w = [Diagnostics.Stopwatch]::StartNew()
    $out = @($bodies | New-OktaUser -Activate $false -ThrottleLimit 8 -ErrorAction SilentlyContinue -ErrorVariable failures)
    [pscustomobject]@{ created = $out.Count; errors = $failures.Count; ms = $w.Elapsed.TotalMilliseconds }
}
$clients['New-OktaUser, one at a time (ours)'] = {
    param($sim)
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } -MaxRetries $retries
    $bodies = @(New-Bodies 'ours1-')
    $w = [Diagnostics.Stopwatch]::StartNew(); $created = 0; $errors = 0
    foreach ($b in $bodies) { try { $null = New-OktaUser -Body $b -Activate $false; $created++ } catch { $errors++ } }
    [pscustomobject]@{ created = $created; errors = $errors; ms = $w.Elapsed.TotalMilliseconds }
}
$clients['Invoke-RestMethod loop (-MaximumRetryCount)'] = {
    param($sim)
    # What a scripter writes: a loop, IRM's own retries (it waits a fixed interval; Okta sends no Retry-After).
    $bodies = @(New-Bodies 'irm-' | ForEach-Object { $_ | ConvertTo-Json -Compress })
    $session = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
    $headers = @{ Authorization = "SSWS $($sim.Token)"; Accept = 'application/json' }
    $w = [Diagnostics.Stopwatch]::StartNew(); $created = 0; $errors = 0
    foreach ($b in $bodies) {
        try { $null = Invoke-RestMethod -Method Post -Uri "$($sim.Url)/api/v1/users?activate=false" -Body $b -ContentType 'application/json' -Headers $headers -WebSession $session -MaximumRetryCount $retries -RetryIntervalSec ([math]::Max(1, [int]($windowSeconds / 5))); $created++ }
        catch { $errors++ }
    }
    [pscustomobject]@{ created = $created; errors = $errors; ms = $w.Elapsed.TotalMilliseconds }
}
$skipped = [System.Collections.Generic.List[object]]::new()
if ($Context.Official.Ok) {
    Import-Module $Context.Official.Path -Prefix Other -Force -Global
    $clients['official module 2.0.2 (MaxRetries 10)'] = {
        param($sim)
        Set-OtherOktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } -MaxRetries $retries | Out-Null
        $bodies = @(New-Bodies 'official-')
        $w = [Diagnostics.Stopwatch]::StartNew(); $created = 0; $errors = 0
        foreach ($b in $bodies) { try { $null = New-OtherOktaUser -Body $b -Activate $false; $created++ } catch { $errors++ } }
        [pscustomobject]@{ created = $created; errors = $errors; ms = $w.Elapsed.TotalMilliseconds }
    }
} else { $skipped.Add((New-BenchRow -Client 'official module 2.0.2' -Note $Context.Official.Reason)) }
$timeout = [int]([math]::Ceiling($count / $limitPerWindow) * $windowSeconds * 4 + 120)
if ($Context.Node.Ok) { $clients["Node SDK $($Context.Node.Version) (maxRetries 10)"] = { param($sim) Invoke-NodePeer $Context.Node create $sim @{ count = $count; prefix = 'node-'; maxRetries = $retries } -TimeoutSec $timeout } }
else { $skipped.Add((New-BenchRow -Client 'Node SDK' -Note $Context.Node.Reason)) }
if ($Context.Python.Ok) { $clients["Python SDK $($Context.Python.Version) (maxRetries 10)"] = { param($sim) Invoke-PythonPeer $Context.Python create $sim @{ count = $count; prefix = 'py-'; maxRetries = $retries } -TimeoutSec $timeout } }
else { $skipped.Add((New-BenchRow -Client 'Python SDK' -Note $Context.Python.Reason)) }

$rows = [System.Collections.Generic.List[object]]::new()
foreach ($name in $clients.Keys) {
    $sim = Start-BenchSimulator -ArgumentList '--rate-limit', "users=$spec", '--rate-limit', 'default=100000000/60s'
    try {
        $before = Get-SimStats $sim
        $r = & $clients[$name] $sim
        $after = Get-SimStats $sim
        $created = $after.users - $before.users
        $requests = $after.requests - $before.requests - 1   # minus the second stats call
        $refused = $requests - $created
        $wall = [double]$r.ms / 1000
        $budget = [math]::Ceiling($wall / $windowSeconds) * $limitPerWindow
        $rows.Add((New-BenchRow -Client $name -Value ([math]::Round($wall, 1)) -Ours:($name -like '*(ours)') -Extra ([ordered]@{
                        'budget used %' = [math]::Round(100 * $created / [math]::Max(1, $budget), 1)
                        'requests'      = $requests
                        '429s (refused)' = $refused
                        '429 %'         = [math]::Round(100 * $refused / [math]::Max(1, $requests), 1)
                        'lost'          = $count - $created
                        'client errors' = $r.errors
                    })))
    } catch {
        $rows.Add((New-BenchRow -Client $name -Note "failed: $_"))
    } finally { Stop-OktaSimulator $sim }
}
foreach ($s in $skipped) { $rows.Add($s) }
$floor = [math]::Round(([math]::Ceiling($count / $limitPerWindow) - 1) * $windowSeconds, 1)
$ours = $rows | Where-Object Ours | Select-Object -First 1
$met = $ours.Extra -and $ours.Extra['budget used %'] -ge 90 -and $ours.Extra['429 %'] -lt 1 -and $ours.Extra['lost'] -eq 0
New-BenchResult -Name 'create' -Title "4. Create $count users under users=$spec" -Metric 'wall time' -Unit 's' -Rows $rows `
    -FloorValue $floor -FloorLabel "(ceil($count / $limitPerWindow) - 1) × $windowSeconds s: the windows a perfect client must wait out" `
    -Setup "A fresh okta-sim per client with ``--rate-limit users=$spec`` (Okta's 600/min users rate$(if ($windowSeconds -lt 60) { ' in short windows, so a run takes under a minute; the issue''s full size is ``-CreateUsers 5000 -CreateRateLimit 600/60s``' })). Creates are not activated. Every client retries 429s up to $retries times. Created and 429s are counted on the simulator." `
    -Notes @('Duplicated: okta-sim refuses a second user with the same login (400 E0000001), so a POST sent twice shows as a client error, never as a duplicate user; 0 client errors means 0 duplicates.') `
    -Goal ([ordered]@{ 'ours (-ThrottleLimit 8): ≥ 90 % of the budget, < 1 % 429s, 0 lost' = if ($met) { 'met' } else { "missed ($(($ours.Extra.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', '))" } })
