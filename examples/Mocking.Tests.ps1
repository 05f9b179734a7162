# How your own Pester suite tests a script that uses Okta.PowerShell without any org: mock our commands.
# Run it with: Invoke-Pester ./examples/Mocking.Tests.ps1   (after Import-Module Okta.PowerShell)

BeforeAll {
    if (-not (Get-Module Okta.PowerShell)) {
        Import-Module (Join-Path $PSScriptRoot '../Okta.PowerShell.psd1')
    }

    # The script under test: deactivates every member of a group whose last login is older than $Days.
    function Disable-StaleMember {
        [CmdletBinding(SupportsShouldProcess)]
        param([string]$GroupId, [int]$Days = 90)
        $cutoff = (Get-Date).AddDays(-$Days)
        foreach ($user in Invoke-OktaListGroupUsers -GroupId $GroupId) {
            if ($user.lastLogin -and $user.lastLogin -lt $cutoff -and $PSCmdlet.ShouldProcess($user.profile.login)) {
                Invoke-OktaDeactivateUser -UserId $user.id
                $user.profile.login
            }
        }
    }
}

Describe 'Disable-StaleMember' {
    BeforeAll {
        Mock Invoke-OktaListGroupUsers {
            [pscustomobject]@{ id = '00u1'; lastLogin = (Get-Date).AddDays(-200); profile = [pscustomobject]@{ login = 'old@example.com' } }
            [pscustomobject]@{ id = '00u2'; lastLogin = (Get-Date).AddDays(-3); profile = [pscustomobject]@{ login = 'new@example.com' } }
        }
        Mock Invoke-OktaDeactivateUser { }
    }

    It 'deactivates only the stale member' {
        Disable-StaleMember -GroupId '00g1' | Should -Be 'old@example.com'
        Should -Invoke Invoke-OktaDeactivateUser -Times 1 -Exactly -ParameterFilter { $UserId -eq '00u1' }
        Should -Invoke Invoke-OktaListGroupUsers -Times 1 -ParameterFilter { $GroupId -eq '00g1' }
    }

    It 'changes nothing with -WhatIf' {
        Disable-StaleMember -GroupId '00g1' -WhatIf | Should -BeNullOrEmpty
        Should -Invoke Invoke-OktaDeactivateUser -Times 0 -Exactly
    }
}

Describe 'Mocking inside a module of your own (-ModuleName)' {
    BeforeAll {
        New-Module -Name MyOktaTools -ScriptBlock {
            function Get-UserLogin([string]$Id) { (Get-OktaUser -UserId $Id).profile.login }
            Export-ModuleMember -Function Get-UserLogin
        } | Import-Module -Force
        Mock Get-OktaUser -ModuleName MyOktaTools { [pscustomobject]@{ profile = [pscustomobject]@{ login = "$UserId@example.com" } } }
    }

    It 'replaces Get-OktaUser where your module calls it' {
        Get-UserLogin -Id ada | Should -Be 'ada@example.com'
        Should -Invoke Get-OktaUser -ModuleName MyOktaTools -Times 1 -ParameterFilter { $UserId -eq 'ada' }
    }
}
