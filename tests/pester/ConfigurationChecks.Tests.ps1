# Settings that cannot work are caught before anything is sent, with a message naming the setting;
# settings that work but are risky warn; a 429 says how long to wait.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $script:closedPort = $listener.LocalEndpoint.Port; $listener.Stop()

    # How many requests the simulator has received (its stats call counts itself).
    function Get-SimRequestCount { (Invoke-RestMethod "$($sim.Url)/__sim/stats").requests }

    function Get-ClientError([scriptblock]$Command) {
        try { & $Command; $null } catch [Okta.PowerShell.OktaClientException] { $_.Exception }
    }
}

AfterAll {
    # The configuration belongs to the runspace, which the next suites share: leave it empty.
    $c = Get-OktaConfiguration
    $c.BaseUrl = $null; $c.ApiKey = @{}; $c.AccessToken = $null; $c.DefaultHeaders = @{}
    $c.Proxy = $null; $c.RequestTimeout = $null; $c.MaxRetries = $null
    Stop-OktaSimulator $script:sim
}

Describe 'No credentials' {
    BeforeEach {
        $c = Get-OktaConfiguration
        $c.BaseUrl = $sim.Url; $c.ApiKey = @{}; $c.AccessToken = $null; $c.DefaultHeaders = @{}; $c.Proxy = $null
    }

    It 'fails locally, naming ApiKey, and sends nothing (<Name>)' -TestCases @(
        @{ Name = '-ApiKey empty string'; Set = { Set-OktaConfiguration -ApiKey '' } }
        @{ Name = '-ApiKey $null'; Set = { Set-OktaConfiguration -ApiKey $null } }
        @{ Name = 'apitoken empty'; Set = { Set-OktaConfiguration -ApiKey @{ apitoken = '' } } }
        @{ Name = 'never set'; Set = { } }
        @{ Name = 'live object set to $null'; Set = { (Get-OktaConfiguration).ApiKey = $null } }
    ) {
        & $Set
        $before = Get-SimRequestCount
        $caught = Get-ClientError { Get-OktaUser -UserId someone@example.com }
        $after = Get-SimRequestCount
        $caught | Should -Not -BeNullOrEmpty
        $caught.Kind | Should -Be 'Configuration'
        $caught.Delivery | Should -Be 'NotSent'
        $caught.Message | Should -Match 'ApiKey'
        $caught.Message | Should -Match 'AccessToken'
        $after | Should -Be ($before + 1) -Because 'only the second stats call reached the simulator'
    }

    It 'still works with the token in an Authorization default header' {
        Set-OktaConfiguration -DefaultHeaders @{ Authorization = "SSWS $($sim.Token)" }
        { Invoke-OktaListUsers -Limit 1 } | Should -Not -Throw
    }
}

Describe 'Proxy checks' {
    BeforeEach {
        $c = Get-OktaConfiguration
        $c.BaseUrl = $sim.Url; $c.ApiKey = @{ apitoken = $sim.Token }; $c.Proxy = $null
    }
    AfterAll { (Get-OktaConfiguration).Proxy = $null }

    It 'refuses -Proxy <Value> (not a URL)' -TestCases @(
        @{ Value = 42 }
        @{ Value = '42' }
        @{ Value = 'proxy.example.com:3128' }
        @{ Value = 'ftp://proxy.example.com' }
    ) {
        { Set-OktaConfiguration -Proxy $Value } | Should -Throw -ExpectedMessage '*Proxy*'
        (Get-OktaConfiguration).Proxy | Should -BeNullOrEmpty
    }

    It 'refuses a Proxy set on the live object that is not a URL, before sending' {
        (Get-OktaConfiguration).Proxy = 42
        $before = Get-SimRequestCount
        $caught = Get-ClientError { Get-OktaUser -UserId someone@example.com }
        (Get-SimRequestCount) | Should -Be ($before + 1)
        $caught.Kind | Should -Be 'Configuration'
        $caught.Message | Should -Match 'Proxy'
    }

    It 'names an unreachable proxy as the proxy, not the org' {
        Set-OktaConfiguration -Proxy "http://127.0.0.1:$closedPort"
        $caught = Get-ClientError { Get-OktaUser -UserId someone@example.com }
        $caught.Kind | Should -Be 'Transport'
        $caught.Delivery | Should -Be 'NotSent'
        $caught.Message | Should -Match "Proxy 127\.0\.0\.1:$closedPort"
        $caught.Message | Should -Match 'not contacted'
    }

    It 'names an unresolvable proxy as the proxy' {
        Set-OktaConfiguration -Proxy 'http://proxy.okta-test.invalid:3128' -RequestTimeout 20000
        try {
            $caught = Get-ClientError { Get-OktaUser -UserId someone@example.com }
        }
        finally { Set-OktaConfiguration -RequestTimeout 0 }
        $caught.Delivery | Should -Be 'NotSent'
        $caught.Message | Should -Match 'Proxy proxy\.okta-test\.invalid:3128'
    }
}

Describe 'BaseUrl checks' {
    AfterAll { Set-OktaConfiguration -BaseUrl $sim.Url }

    It 'warns when the BaseUrl has a path' {
        Set-OktaConfiguration -BaseUrl 'https://myorg.okta.com/api/v1' -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'path'
        "$warnings" | Should -Match '/api/v1'
    }

    It 'refuses a query string' {
        { Set-OktaConfiguration -BaseUrl 'https://myorg.okta.com/?org=1' } | Should -Throw -ExpectedMessage '*query*'
    }

    It 'warns that http:// to another host sends the token in clear' {
        Set-OktaConfiguration -BaseUrl 'http://myorg.example.com' -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'clear'
    }

    It 'does not warn for <Url>' -TestCases @(
        @{ Url = 'https://myorg.okta.com' }
        @{ Url = 'https://myorg.okta.com/' }
        @{ Url = 'http://127.0.0.1:8080' }
        @{ Url = 'http://localhost:8080' }
        @{ Url = 'http://[::1]:8080' }
    ) {
        Set-OktaConfiguration -BaseUrl $Url -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
    }
}

Describe 'MaxRetries' {
    It 'refuses a negative -MaxRetries' {
        { Set-OktaConfiguration -MaxRetries -1 } | Should -Throw -ExpectedMessage '*MaxRetries*'
        Set-OktaConfiguration -MaxRetries 0
        (Get-OktaConfiguration).MaxRetries | Should -Be 0
    }

    It 'refuses a negative MaxRetries set on the live object, before sending' {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
        (Get-OktaConfiguration).MaxRetries = -2
        try {
            $caught = Get-ClientError { Get-OktaUser -UserId someone@example.com }
        }
        finally { (Get-OktaConfiguration).MaxRetries = $null }
        $caught.Kind | Should -Be 'Configuration'
        $caught.Message | Should -Match 'MaxRetries'
    }
}

Describe 'A 429' {
    BeforeAll {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
        # Retries and pacing would wait the 429 out: turn retries off and let the simulator throttle every call.
        Set-OktaConfiguration -MaxRetries 0
        Invoke-RestMethod -Method Put "$($sim.Url)/__sim/faults" -ContentType 'application/json' -Body '{"rateLimitRate":1,"pathPrefix":"/api/v1/users"}' | Out-Null
    }
    AfterAll {
        Invoke-RestMethod -Method Delete "$($sim.Url)/__sim/faults" | Out-Null
        (Get-OktaConfiguration).MaxRetries = $null
    }

    It 'carries the reset time and the wait as a TimeSpan' {
        $caught = $null
        try { Invoke-OktaListUsers -Limit 1 | Out-Null } catch [Okta.PowerShell.OktaApiException] { $caught = $_.Exception }
        $caught | Should -Not -BeNullOrEmpty
        [int]$caught.StatusCode | Should -Be 429
        $caught.ErrorCode | Should -Be 'E0000047'
        $caught.RetryAfter | Should -BeOfType [TimeSpan]
        $caught.RetryAfter | Should -BeGreaterThan ([TimeSpan]::Zero)
        $caught.RetryAfter | Should -BeLessOrEqual ([TimeSpan]::FromSeconds(61))
        $caught.RateLimitReset | Should -BeOfType [DateTimeOffset]
        $caught.RateLimitReset.ToUnixTimeSeconds() | Should -Be ([long](@($caught.Headers['X-Rate-Limit-Reset'])[0]))
        "$caught" | Should -Match 'Retry after'
    }
}
