# Scenario 2: one Get-OktaUser, P50/P95 after warm-up, beside every peer; then the JSON glue alone
# (a 200-user page to PSObjects vs ConvertFrom-Json). In-process PowerShell clients are sampled in
# interleaved rounds after a warm-up and a pause (tiered JIT); out-of-process peers run their own loop.
param([Parameter(Mandatory)]$Context)

$warmup = $Context.Sizes.GetWarmup
$calls = $Context.Sizes.GetCalls
$sim = Start-BenchSimulator -Users 200 -ArgumentList '--rate-limit', 'default=100000000/60s', '--rate-limit', 'users=100000000/60s'
try {
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
    $login = 'bench@example.com'
    New-OktaUser -Body @{ profile = @{ firstName = 'Bench'; lastName = 'Mark'; email = $login; login = $login } } | Out-Null
    $url = "$($sim.Url)/api/v1/users/$login"
    $session = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
    $headers = @{ Authorization = "SSWS $($sim.Token)"; Accept = 'application/json' }

    $clients = [ordered]@{
        'Get-OktaUser (ours)'           = { $null = Get-OktaUser -UserId bench@example.com }
        'Invoke-RestMethod -WebSession' = { $null = Invoke-RestMethod -Uri $url -Headers $headers -WebSession $session }
    }
    $rows = [System.Collections.Generic.List[object]]::new()
    if ($Context.Official.Ok) {
        Import-Module $Context.Official.Path -Prefix Other -Force -Global
        Set-OtherOktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } | Out-Null
        $clients['official module 2.0.2'] = { $null = Get-OtherOktaUser -UserId bench@example.com }
    }
    foreach ($name in $clients.Keys) { foreach ($i in 1..$warmup) { & $clients[$name] } }
    Start-Sleep -Milliseconds 500
    $samples = @{}
    foreach ($name in $clients.Keys) { $samples[$name] = [System.Collections.Generic.List[double]]::new($calls) }
    $watch = [System.Diagnostics.Stopwatch]::new()
    $rounds = 20
    foreach ($round in 1..$rounds) {
        foreach ($name in $clients.Keys) {
            $call = $clients[$name]
            foreach ($i in 1..([math]::Ceiling($calls / $rounds))) {
                $watch.Restart(); & $call; $samples[$name].Add($watch.Elapsed.TotalMilliseconds)
            }
        }
    }
    function Add-SampleRow([string]$Name, [double[]]$Values, [switch]$Ours, [switch]$Floor, [string]$Note = '') {
        $s = Get-BenchStats $Values -Digits 3
        $rows.Add((New-BenchRow -Client $Name -Value $s.Median -Spread $s.Spread -Extra ([ordered]@{ 'P95 ms' = $s.P95; calls = $s.Count }) -Ours:$Ours -Floor:$Floor -Note $Note))
    }
    foreach ($name in $clients.Keys) { Add-SampleRow $name $samples[$name].ToArray() -Ours:($name -like '*(ours)') }
    if (-not $Context.Official.Ok) { $rows.Add((New-BenchRow -Client 'official module 2.0.2' -Note $Context.Official.Reason)) }

    foreach ($peer in @(
            @{ Name = 'Node SDK'; Peer = $Context.Node; Run = { Invoke-NodePeer $Context.Node get $sim @{ warmup = $warmup; calls = $calls; userId = $login } -TimeoutSec 300 } }
            @{ Name = 'Python SDK'; Peer = $Context.Python; Run = { Invoke-PythonPeer $Context.Python get $sim @{ warmup = $warmup; calls = $calls; userId = $login } -TimeoutSec 300 } })) {
        if (-not $peer.Peer.Ok) { $rows.Add((New-BenchRow -Client $peer.Name -Note $peer.Peer.Reason)); continue }
        try { Add-SampleRow "$($peer.Name) $($peer.Peer.Version)" ([double[]](& $peer.Run).samplesMs) }
        catch { $rows.Add((New-BenchRow -Client $peer.Name -Note "failed: $_")) }
    }
    Initialize-HttpFloor
    Add-SampleRow '.NET HttpClient loop (floor)' ([OktaBenchHttpFloor]::Get($url, $sim.Token, $warmup, $calls)) -Floor
    if ($Context.Rust.Ok) {
        try { Add-SampleRow 'Rust reqwest loop (floor)' ([double[]](Invoke-BenchProcess $Context.Rust.Exe -ArgumentList get, $sim.Url, $sim.Token, $calls, "/api/v1/users/$login" -TimeoutSec 300).samplesMs) -Floor }
        catch { $rows.Add((New-BenchRow -Client 'Rust reqwest loop (floor)' -Note "failed: $_")) }
    } else { $rows.Add((New-BenchRow -Client 'Rust reqwest loop (floor)' -Note $Context.Rust.Reason)) }
    $rows.Add((New-BenchRow -Client 'FFI crossing alone (okta_send, canned response)' -Note 'not measured in this run: needs a criterion bench in crates/okta-ffi, outside the benchmark room (PLATFORM-FACTS: an empty crossing ≈ 30 ns, a string round trip ≈ 230 ns from C#)'))

    $floorValue = ($rows | Where-Object { $_.Floor -and $null -ne $_.Value } | Measure-Object Value -Minimum).Minimum
    $ours = ($rows | Where-Object Ours).Value
    $irm = ($rows | Where-Object Client -EQ 'Invoke-RestMethod -WebSession').Value
    New-BenchResult -Name 'get' -Title '2. One Get-OktaUser (per call, after warm-up)' -Metric 'P50' -Unit 'ms' -Rows $rows `
        -FloorValue $floorValue -FloorLabel 'the faster raw HTTP loop (.NET HttpClient or Rust reqwest)' `
        -Setup "okta-sim without limits; $warmup warm-up calls per client, then $calls timed calls (PowerShell clients in 20 interleaved rounds in one process; SDKs and floors in their own process, same simulator)." `
        -Goal ([ordered]@{ 'P50 ≤ Invoke-RestMethod -WebSession' = if ($ours -le $irm) { "met ($ours ≤ $irm ms)" } else { "missed ($ours > $irm ms)" } })

    # The glue alone: a 200-user page (bytes as they come off the wire) into PSObjects.
    $page = (Invoke-WebRequest -Uri "$($sim.Url)/api/v1/users?limit=200" -Headers $headers).RawContentStream.ToArray()
    $text = [Text.Encoding]::UTF8.GetString($page)
    $iterations = $Context.Sizes.GlueIterations
    $glue = @{ ours = [System.Collections.Generic.List[double]]::new(); cfj = [System.Collections.Generic.List[double]]::new() }
    foreach ($i in 1..($iterations + 5)) {
        $watch.Restart(); $null = [Okta.PowerShell.Json.JsonToPSObject]::Parse($page); $a = $watch.Elapsed.TotalMilliseconds
        $watch.Restart(); $null = ConvertFrom-Json -InputObject $text; $b = $watch.Elapsed.TotalMilliseconds
        if ($i -gt 5) { $glue.ours.Add($a); $glue.cfj.Add($b) }
    }
    $g1 = Get-BenchStats $glue.ours.ToArray() -Digits 3
    $g2 = Get-BenchStats $glue.cfj.ToArray() -Digits 3
    $glueRows = @(
        New-BenchRow -Client 'JsonToPSObject.Parse (ours, UTF-8 bytes)' -Value $g1.Median -Spread $g1.Spread -Ours -Extra ([ordered]@{ runs = $g1.Count })
        New-BenchRow -Client 'ConvertFrom-Json (string, as Invoke-RestMethod does)' -Value $g2.Median -Spread $g2.Spread -Extra ([ordered]@{ runs = $g2.Count })
    )
    New-BenchResult -Name 'glue' -Title '2b. The JSON glue alone: a 200-user page to PSObjects' -Metric 'median' -Unit 'ms' -Rows $glueRows `
        -Setup "One page of 200 users ($([math]::Round($page.Length / 1KB)) KiB) from okta-sim, converted $iterations times after 5 untimed; same process, alternating."
} finally {
    Stop-OktaSimulator $sim
}
