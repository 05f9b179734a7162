# -ThrottleLimit: piped items sent in parallel, results in input order, one item's error its own, nothing
# lost or sent twice, also under a tight rate limit (the core's governor and retries pace the sends).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    function New-Request([string]$Login) {
        Initialize-OktaCreateUserRequest -VarProfile (Initialize-OktaUserProfile -FirstName Bulk -LastName ($Login -replace '@.*') -Email $Login -Login $Login)
    }
}

Describe 'New-OktaUser -ThrottleLimit 8' {
    BeforeAll { $script:sim = Start-OktaSimulator -Configure }
    AfterAll { Stop-OktaSimulator $script:sim }

    It 'creates every user once and writes the results in input order' {
        $logins = 1..40 | ForEach-Object { "bulk$_@example.com" }
        $created = $logins | ForEach-Object { New-Request $_ } | New-OktaUser -ThrottleLimit 8
        $created.profile.login | Should -Be $logins
        $all = Invoke-OktaListUsers -All -Search 'profile.lastName sw "bulk"'
        $all.Count | Should -Be 40
        ($all.profile.login | Sort-Object -Unique).Count | Should -Be 40
    }

    It 'reports a failing item as its own non-terminating error, and the others go on' {
        $logins = 'again1@example.com', 'bulk1@example.com', 'again2@example.com'   # bulk1 exists already
        $created = $logins | ForEach-Object { New-Request $_ } | New-OktaUser -ThrottleLimit 4 -ErrorAction SilentlyContinue -ErrorVariable failures
        $created.profile.login | Should -Be @('again1@example.com', 'again2@example.com')
        $failures | Should -HaveCount 1
        $failures[0].Exception | Should -BeOfType [Okta.PowerShell.OktaApiException]
        $failures[0].TargetObject.profile.login | Should -Be 'bulk1@example.com'
    }
}

Describe 'Bulk under a tight rate limit' {
    BeforeAll { $script:limited = Start-OktaSimulator -ArgumentList '--rate-limit', 'users=15/2s' -Configure }
    AfterAll { Stop-OktaSimulator $script:limited }

    It 'loses and duplicates nothing while the governor paces the sends' {
        $logins = 1..45 | ForEach-Object { "paced$_@example.com" }
        $created = $logins | ForEach-Object { New-Request $_ } | New-OktaUser -ThrottleLimit 8 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        $created.profile.login | Should -Be $logins
        (Invoke-OktaListUsers -All).Count | Should -Be 45
    }
}
