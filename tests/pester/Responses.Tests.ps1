# Answers that are not what they should be are reported clearly, never mis-read.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator -Seed 2 -Configure
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'A 200 whose JSON body is cut off' {
    BeforeAll {
        Invoke-RestMethod -Method Put -Uri "$($sim.Url)/__sim/faults" -ContentType 'application/json' -Body '{"truncateRate":1,"pathPrefix":"/api/v1/users"}' | Out-Null
    }
    AfterAll {
        Invoke-RestMethod -Method Delete -Uri "$($sim.Url)/__sim/faults" | Out-Null
    }

    It 'throws an OktaClientException that says the body is not valid JSON' {
        $caught = $null
        try { Invoke-OktaListUsers } catch [Okta.PowerShell.OktaClientException] { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Message | Should -Match 'not valid JSON'
        $caught.Exception.Message | Should -Match '/api/v1/users'
        $caught.InvocationInfo.MyCommand.Name | Should -Be 'Invoke-OktaListUsers'
    }
}

Describe 'Response headers with -WithHttpInfo' {
    It 'reads rate-limit headers case-insensitively as string arrays' {
        $r = Invoke-OktaListUsers -WithHttpInfo
        $r.Headers['x-rate-limit-remaining'] | Should -BeOfType [string]
        [int]$r.Headers['X-Rate-Limit-Limit'][0] | Should -BeGreaterThan 0
        $r.Headers['X-Okta-Request-Id'] | Should -Not -BeNullOrEmpty
    }
}
