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
    It 'cancels the request in flight within a second, though the server takes 8 s' {
        $powershell = [PowerShell]::Create()
        try {
            $null = $powershell.AddScript({
                    param($ModulePath, $Url, $Token)
                    Import-Module $ModulePath
                    Set-OktaConfiguration -BaseUrl $Url -ApiKey @{ apitoken = $Token }
                    Get-OktaUser -UserId slow@example.com
                }).AddArgument((Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1')).AddArgument($sim.Url).AddArgument($sim.Token)
            $running = $powershell.BeginInvoke()
            # wait until the request is on the wire (the module import takes a moment)
            Start-Sleep -Milliseconds 1500
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
