<#
.SYNOPSIS
Per-call cost of Get-OktaUser against a local okta-sim, side by side with Invoke-RestMethod -WebSession
(the best a plain PowerShell script can do) in the same process and run.
.PARAMETER CompareWith
Path to another Okta module's .psd1 with the official module's commands (e.g. a checkout of
okta/okta-powershell-cli 2.x): imported with the prefix "Other" and measured in the same run.
.PARAMETER Calls
Timed calls per client (default 2000), after 1000 warm-up calls and a pause (so .NET's tiered JIT
has optimised the hot paths, as it has in a long admin script).
.EXAMPLE
dotnet pwsh ./tests/bench/Measure-CallOverhead.ps1
#>
[CmdletBinding()]
Param(
    [int]$Calls = 2000,
    [string]$CompareWith
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../pester/Support/OktaTestSupport.psm1') -Force
Import-OktaModule
# no rate limits: thousands of calls per second would otherwise meet the simulator's 429s
$sim = Start-OktaSimulator -ArgumentList '--rate-limit', 'default=100000000/60s', '--rate-limit', 'users=100000000/60s'
try {
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
    $profile = Initialize-OktaUserProfile -FirstName Bench -LastName Mark -Email bench@example.com -Login bench@example.com
    New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $profile) | Out-Null

    $session = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
    $headers = @{ Authorization = "SSWS $($sim.Token)" }
    $url = "$($sim.Url)/api/v1/users/bench@example.com"
    $clients = [ordered]@{
        'Get-OktaUser (Okta.PowerShell)'       = { $null = Get-OktaUser -UserId bench@example.com }
        'Invoke-RestMethod -WebSession (pwsh)' = { $null = Invoke-RestMethod -Uri $url -Headers $headers -WebSession $session }
    }
    if ($CompareWith) {
        Import-Module (Resolve-Path $CompareWith).Path -Prefix Other -Force
        Set-OtherOktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
        $clients["Get-OktaUser (-CompareWith module)"] = { $null = Get-OtherOktaUser -UserId bench@example.com }
    }
    # Warm every client up first (JIT tiering), then sample them interleaved in rounds, so a busy moment of
    # the machine falls on all of them alike.
    foreach ($name in $clients.Keys) { foreach ($i in 1..2000) { & $clients[$name] } }
    Start-Sleep -Milliseconds 500
    $samples = @{}
    foreach ($name in $clients.Keys) { $samples[$name] = [System.Collections.Generic.List[double]]::new($Calls) }
    $watch = [System.Diagnostics.Stopwatch]::new()
    $rounds = 20
    foreach ($round in 1..$rounds) {
        foreach ($name in $clients.Keys) {
            $call = $clients[$name]
            foreach ($i in 1..([math]::Ceiling($Calls / $rounds))) {
                $watch.Restart(); & $call; $samples[$name].Add($watch.Elapsed.TotalMilliseconds)
            }
        }
    }
    $rows = foreach ($name in $clients.Keys) {
        $sorted = $samples[$name].ToArray()
        [array]::Sort($sorted)
        [PSCustomObject]@{
            Client = $name
            P50Ms  = [math]::Round($sorted[[int]($sorted.Count * 0.50)], 3)
            P95Ms  = [math]::Round($sorted[[int]($sorted.Count * 0.95)], 3)
            MeanMs = [math]::Round(($sorted | Measure-Object -Average).Average, 3)
        }
    }
    foreach ($row in $rows) {
        $row | Add-Member -NotePropertyName 'P50 / ours' -NotePropertyValue ([math]::Round($row.P50Ms / $rows[0].P50Ms, 2))
    }
    $rows | Format-Table -AutoSize | Out-String -Width 250 | Out-Host
} finally {
    Stop-OktaSimulator $sim
}
