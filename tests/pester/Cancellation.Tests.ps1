# Ctrl+C: PowerShell calls StopProcessing on the running command; the request in flight is
# cancelled at once instead of blocking until the server answers.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator -ArgumentList '--latency', '8000ms'
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'Stopping a command (Ctrl+C)' {
    It 'cancels the request in flight of <Command> within a second, though the server takes 8 s' -TestCases @(
        @{ Command = 'Get-OktaUser'; Script = 'Get-OktaUser -UserId slow@example.com' }
        # -All: the page in flight belongs to the worker thread that converts pages ahead of the pipeline
        @{ Command = 'Invoke-OktaListUsers -All'; Script = 'Invoke-OktaListUsers -All -Limit 1' }
    ) {
        param($Command, $Script)
        $powershell = [PowerShell]::Create()
        try {
            $null = $powershell.AddScript({
                    param($ModulePath, $Url, $Token, $Script)
                    Import-Module $ModulePath
                    Set-OktaConfiguration -BaseUrl $Url -ApiKey @{ apitoken = $Token }
                    & ([scriptblock]::Create($Script))
                }).AddArgument((Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1')).AddArgument($sim.Url).AddArgument($sim.Token).AddArgument($Script)
            $running = $powershell.BeginInvoke()
            # Stop only once the request is on the wire: the simulator counts it as in flight.
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            do {
                Start-Sleep -Milliseconds 50
                $inFlight = (Invoke-RestMethod -Uri "$($sim.Url)/__sim/stats").inFlight
            } until ($inFlight -ge 1 -or [DateTime]::UtcNow -gt $deadline)
            $inFlight | Should -BeGreaterOrEqual 1 -Because 'the command must have sent its request'
            $running.IsCompleted | Should -BeFalse
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $powershell.Stop()
            $watch.Stop()
            $watch.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
            $powershell.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            $powershell.Dispose()
        }
    }
}
