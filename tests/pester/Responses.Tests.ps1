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

Describe 'Answers that are not Okta-shaped' {
    BeforeAll {
        $script:saved = (Get-OktaConfiguration).BaseUrl
        $script:server = Start-CannedServer -Responses @(
            (New-RawResponse -Status 404 -Reason 'Not Found' -Body '{"status":404,"message":"Resource not found"}' -ContentType '')
            (New-RawResponse -Status 502 -Reason 'Bad Gateway' -Body '<html><body><h1>502 Bad Gateway</h1></body></html>' -ContentType 'text/html')
            (New-RawResponse -Status 200 -Reason 'OK' -Body '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>' -ContentType 'text/xml')
        )
        Set-OktaConfiguration -BaseUrl $server.Url -MaxRetries 0   # each canned answer once: a retried 502 would eat the next
    }
    AfterAll {
        (Get-OktaConfiguration).MaxRetries = $null
        Set-OktaConfiguration -BaseUrl $saved
        $server.Job | Stop-Job -PassThru | Remove-Job -Force
    }

    It 'raises OktaApiException with the right status for a front end''s bare JSON 404 without a Content-Type' {
        $caught = $null
        try { Get-OktaUser -UserId someone } catch [Okta.PowerShell.OktaApiException] { $caught = $_ }
        [int]$caught.Exception.StatusCode | Should -Be 404
        $caught.ErrorDetails.Message | Should -Match 'Resource not found'
    }

    It 'raises OktaApiException with the right status for a proxy''s HTML page' {
        $caught = $null
        try { Get-OktaUser -UserId someone } catch [Okta.PowerShell.OktaApiException] { $caught = $_ }
        [int]$caught.Exception.StatusCode | Should -Be 502
        $caught.Exception.RawResponse | Should -Match 'Bad Gateway'
    }

    It 'returns a non-JSON answer (SAML metadata) as text, not parsed' {
        $metadata = Invoke-OktaPreviewSAMLMetadataForApplication -AppId 0oa1
        $metadata | Should -BeOfType [string]
        $metadata | Should -Match 'EntityDescriptor'
    }
}
