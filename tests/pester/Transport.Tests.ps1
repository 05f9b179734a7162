# Settings that shape the HTTP exchange, each proven over the wire: RequestTimeout, Proxy, TLS.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule

    function Get-ClosedPort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $port
    }
}

Describe 'RequestTimeout' {
    BeforeAll { $script:slow = Start-OktaSimulator -Seed 1 -ArgumentList '--latency', '3000ms' -Configure }
    AfterAll {
        Stop-OktaSimulator $script:slow
        (Get-OktaConfiguration).RequestTimeout = $null
    }

    It 'gives up after the deadline with a Transport error that says so' {
        Set-OktaConfiguration -RequestTimeout 300
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $caught = $null
        try { Invoke-OktaListUsers } catch [Okta.PowerShell.OktaClientException] { $caught = $_.Exception }
        $watch.Stop()
        $caught.Kind | Should -Be 'Transport'
        $caught.Detail | Should -Be 'Timeout'
        $caught.Message | Should -Match 'timed out after 300 ms'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 2.5   # well before the server's 3 s answer
    }
}

Describe 'Proxy' {
    BeforeAll { $script:sim = Start-OktaSimulator -Seed 1 -Configure }
    AfterAll {
        Stop-OktaSimulator $script:sim
        (Get-OktaConfiguration).Proxy = $null
    }

    It 'sends requests through the configured proxy (a System.Net.WebProxy, as the official README sets it)' {
        $port = Get-ClosedPort
        (Get-OktaConfiguration).Proxy = [System.Net.WebProxy]::new("http://127.0.0.1:$port")
        $caught = $null
        try { Invoke-OktaListUsers } catch [Okta.PowerShell.OktaClientException] { $caught = $_.Exception }
        $caught.Kind | Should -Be 'Transport'
        $caught.Message | Should -Match 'Proxy'
        (Get-OktaConfiguration).Proxy = $null
        @(Invoke-OktaListUsers).Count | Should -Be 1
    }
}

Describe 'TLS' {
    BeforeAll { $script:tls = Start-OktaSimulator -Seed 1 -ArgumentList '--https' -Configure }
    AfterAll {
        Stop-OktaSimulator $script:tls
        (Get-OktaConfiguration).SkipCertificateCheck = $false
    }

    It 'serves https' {
        $tls.Url | Should -Match '^https://127\.0\.0\.1:'
    }

    It 'refuses a certificate it cannot verify, with a TLS error that names the host and the way out' {
        $caught = $null
        try { Invoke-OktaListUsers } catch [Okta.PowerShell.OktaClientException] { $caught = $_.Exception }
        $caught.Detail | Should -Be 'Tls'
        $caught.Message | Should -Match '127\.0\.0\.1'
        $caught.Message | Should -Match 'SkipCertificateCheck'
    }

    It 'connects with -SkipCertificateCheck, and warns that it is on' {
        $warnings = Set-OktaConfiguration -SkipCertificateCheck 3>&1
        ($warnings | Out-String) | Should -Match 'not verified'
        @(Invoke-OktaListUsers).Count | Should -Be 1
    }
}
