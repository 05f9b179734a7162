# A write whose answer was lost (connection dropped after sending, body cut off, timeout while waiting) says the
# change may have been applied and how to check, and is told apart from "nothing was sent" (refused, DNS, proxy).
# The simulator's fault modes (/__sim/faults) break the exchanges.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $script:closedPort = $listener.LocalEndpoint.Port; $listener.Stop()

    function Set-SimFaults([hashtable]$Faults) {
        Invoke-RestMethod -Method Put "$($sim.Url)/__sim/faults" -ContentType 'application/json' -Body ($Faults | ConvertTo-Json) | Out-Null
    }
    function Clear-SimFaults { Invoke-RestMethod -Method Delete "$($sim.Url)/__sim/faults" | Out-Null }
    function Get-ClientError([scriptblock]$Command) {
        try { & $Command; $null } catch [Okta.PowerShell.OktaClientException] { $_ }
    }
    function New-TestUserBody([string]$Login) {
        Initialize-OktaCreateUserRequest -VarProfile (Initialize-OktaUserProfile -FirstName Ada -LastName Lost -Email $Login -Login $Login)
    }
}

AfterAll {
    # The configuration belongs to the runspace, which the next suites share: leave it empty.
    $c = Get-OktaConfiguration
    $c.BaseUrl = $null; $c.ApiKey = @{}; $c.AccessToken = $null; $c.DefaultHeaders = @{}
    $c.Proxy = $null; $c.RequestTimeout = $null; $c.MaxRetries = $null
    Stop-OktaSimulator $script:sim
}

Describe 'A write whose answer was lost' {
    BeforeEach {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } -RequestTimeout 0
    }
    AfterEach {
        Clear-SimFaults
        Set-OktaConfiguration -RequestTimeout 0
    }

    It 'says a POST may have been applied when the connection drops after sending' {
        Set-SimFaults @{ dropRate = 1; pathPrefix = '/api/v1/users' }
        $record = Get-ClientError { New-OktaUser -Body (New-TestUserBody 'dropped@example.com') }
        $record | Should -Not -BeNullOrEmpty
        $e = $record.Exception
        $e.Kind | Should -Be 'OutcomeUnknown'
        $e.Delivery | Should -Be 'OutcomeUnknown'
        $e.MayHaveBeenApplied | Should -BeTrue
        $e.WasSent | Should -BeTrue
        $e.Method | Should -Be 'POST'
        $e.Path | Should -Be '/api/v1/users'
        $e.Message | Should -Match '^POST /api/v1/users: '
        $e.Message | Should -Match 'may have been applied'
        $e.Message | Should -Match 'check'
        $record.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $record.FullyQualifiedErrorId | Should -Match '^OktaOutcomeUnknown'
    }

    It 'says so for a DELETE too, with the path of the user' {
        $user = New-OktaUser -Body (New-TestUserBody 'delete-lost@example.com')
        Invoke-OktaDeactivateOrDeleteUser -UserId $user.id -Confirm:$false | Out-Null   # first call deactivates
        Set-SimFaults @{ dropRate = 1; pathPrefix = '/api/v1/users' }
        $e = (Get-ClientError { Invoke-OktaDeactivateOrDeleteUser -UserId $user.id -Confirm:$false }).Exception
        $e.Kind | Should -Be 'OutcomeUnknown'
        $e.Method | Should -Be 'DELETE'
        $e.Path | Should -Be "/api/v1/users/$($user.id)"
    }

    It 'gives the request id when the answer''s body was cut off by the deadline, and the check finds the change' {
        # The simulator creates the user, then sends the body in slow chunks: the deadline hits mid-body.
        Set-SimFaults @{ slowBodyMs = 1500; slowBodyChunks = 4; pathPrefix = '/api/v1/users' }
        Set-OktaConfiguration -RequestTimeout 400
        $e = (Get-ClientError { New-OktaUser -Body (New-TestUserBody 'slow@example.com') }).Exception
        $e.Kind | Should -Be 'OutcomeUnknown'
        $e.Detail | Should -Be 'Timeout'
        $e.RequestId | Should -Not -BeNullOrEmpty
        $e.Message | Should -Match ([regex]::Escape($e.RequestId))
        # The check the message suggests: the change was in fact applied.
        Clear-SimFaults
        Set-OktaConfiguration -RequestTimeout 0
        (Get-OktaUser -UserId 'slow@example.com').profile.login | Should -Be 'slow@example.com'
    }

    It 'keeps a read whose answer was lost a Transport error (safe to repeat)' {
        Set-SimFaults @{ dropRate = 1; pathPrefix = '/api/v1/users' }
        $e = (Get-ClientError { Invoke-OktaListUsers -Limit 1 }).Exception
        $e.Kind | Should -Be 'Transport'
        $e.Delivery | Should -Be 'OutcomeUnknown'
        $e.MayHaveBeenApplied | Should -BeFalse
    }
}

Describe 'Nothing was sent' {
    It 'is NotSent when the connection is refused, even for a POST' {
        Set-OktaConfiguration -BaseUrl "http://127.0.0.1:$closedPort" -ApiKey @{ apitoken = 'x' }
        try {
            $e = (Get-ClientError { New-OktaUser -Body (New-TestUserBody 'refused@example.com') }).Exception
        }
        finally { Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } }
        $e.Kind | Should -Be 'Transport'
        $e.Delivery | Should -Be 'NotSent'
        $e.WasSent | Should -BeFalse
        $e.MayHaveBeenApplied | Should -BeFalse
        $e.Message | Should -Not -Match 'may have been applied'
    }

    It 'is NotSent when the host does not resolve' {
        Set-OktaConfiguration -BaseUrl 'https://okta-write-lost.invalid' -ApiKey @{ apitoken = 'x' } -RequestTimeout 20000
        try {
            $e = (Get-ClientError { New-OktaUser -Body (New-TestUserBody 'dns@example.com') }).Exception
        }
        finally { Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } -RequestTimeout 0 }
        $e.Detail | Should -Be 'Dns'
        $e.Delivery | Should -Be 'NotSent'
    }

    It 'is NotSent when the proxy cannot be reached' {
        Set-OktaConfiguration -Proxy "http://127.0.0.1:$closedPort"
        try {
            $e = (Get-ClientError { New-OktaUser -Body (New-TestUserBody 'proxy@example.com') }).Exception
        }
        finally { (Get-OktaConfiguration).Proxy = $null }
        $e.Delivery | Should -Be 'NotSent'
        $e.Message | Should -Match 'Proxy'
    }
}
