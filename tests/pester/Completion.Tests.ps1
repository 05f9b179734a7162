# Tab completion from the org: ids by login/name through the list endpoints' search, and enum values.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator -Seed 5 -Configure
    $script:user = @(Invoke-OktaListUsers)[0]
    $script:group = New-OktaGroup -Group (Initialize-OktaGroup -VarProfile @{ name = 'Completion Engineers'; description = 'x' })

    function Complete([string]$line) {
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
    }
}

AfterAll { Stop-OktaSimulator $sim }

Describe 'Completion of ids from the org' {
    It 'completes -UserId from a login prefix, inserting the id and showing the login' {
        $prefix = $user.profile.login.Substring(0, 4)
        $found = Complete "Get-OktaUser -UserId $prefix"
        $found.CompletionText | Should -Contain $user.id
        ($found | Where-Object CompletionText -eq $user.id).ListItemText | Should -BeLike "$($user.profile.login)*"
        $request = Invoke-RestMethod "$($sim.Url)/__sim/requests/last"
        $request.path | Should -Be '/api/v1/users'
    }

    It 'completes -GroupId by group name on any command that takes one' {
        (Complete 'Add-OktaUserToGroup -GroupId Completion').CompletionText | Should -Contain $group.id
    }

    It 'offers nothing, without an error, when the org cannot be reached' {
        Set-OktaConfiguration -Name unreachable -BaseUrl 'http://127.0.0.1:9' -ApiKey 'x'
        $found = Complete 'Get-OktaUser -Configuration unreachable -UserId ada'
        @($found | Where-Object ResultType -eq 'ParameterValue') | Should -BeNullOrEmpty
    }
}
