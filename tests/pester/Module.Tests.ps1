# The module as a user installs it: manifest, exports, help.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:manifest = Import-PowerShellDataFile (Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1')
    $script:compat = Get-Content (Join-Path (Get-RepositoryRoot) 'api/okta-powershell-cli-2.0.2-commands.json') -Raw | ConvertFrom-Json -AsHashtable
}

Describe 'The manifest' {
    It 'targets PowerShell 7.4+ Core and lists its exports explicitly' {
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.FunctionsToExport | Should -Not -Contain '*'
        $manifest.CmdletsToExport | Should -HaveCount 0
    }

    It 'exports exactly the listed functions, and not the internal invoker' {
        $exported = (Get-Command -Module Okta.PowerShell).Name | Sort-Object
        $exported | Should -Be ($manifest.FunctionsToExport | Sort-Object)
        $exported | Should -Not -Contain 'Invoke-OktaOperation'
    }
}

Describe 'Compatibility with okta-powershell-cli 2.0.2' {
    It 'exports only official command names, plus the configuration and simulator commands' {
        $additions = 'Get-OktaConfiguration', 'Set-OktaConfiguration', 'Start-OktaSimulator', 'Stop-OktaSimulator'
        foreach ($name in $manifest.FunctionsToExport | Where-Object { $_ -notin $additions }) {
            $compat.commands.ContainsKey($name) | Should -BeTrue -Because "$name must be an official command name"
        }
    }

    It '<Name> has every parameter of the official command, at the same position' -ForEach @(
        (Import-PowerShellDataFile (Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'Okta.PowerShell.psd1')).FunctionsToExport |
            Where-Object { $_ -notin 'Get-OktaConfiguration', 'Set-OktaConfiguration', 'Start-OktaSimulator', 'Stop-OktaSimulator' } |
            ForEach-Object { @{ Name = $_ } }
    ) {
        $official = $compat.commands[$Name]
        $official | Should -Not -BeNullOrEmpty -Because "$Name is an official command"
        $ours = (Get-Command $Name).Parameters
        foreach ($parameter in $official.params) {
            $ours.Keys | Should -Contain $parameter.name -Because "$Name -$($parameter.name)"
            if ($null -ne $parameter.position) {
                $attribute = $ours[$parameter.name].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
                $attribute.Position | Should -Be $parameter.position -Because "$Name -$($parameter.name) position"
            }
        }
    }
}

Describe 'Help' {
    It '<Name> has a synopsis, a description of every parameter and an example' -ForEach @(
        (Import-PowerShellDataFile (Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'Okta.PowerShell.psd1')).FunctionsToExport |
            ForEach-Object { @{ Name = $_ } }
    ) {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name"   # not the auto-generated syntax line
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $described = $help.parameters.parameter | Where-Object name -eq $parameter
            ($described.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name"
        }
        if ($Name -notlike 'Initialize-*') { $help.examples | Should -Not -BeNullOrEmpty }
    }
}

Describe 'Start-OktaSimulator' {
    It 'starts the embedded org, configures the session for it with -Configure, and stops it' {
        $sim = Start-OktaSimulator -Seed 3 -Configure
        $processId = $sim.Process.Id
        try {
            $sim.Url | Should -Match '^http://127\.0\.0\.1:\d+$'
            (Get-OktaConfiguration).BaseUrl | Should -Be $sim.Url
            @(Invoke-OktaListUsers).Count | Should -Be 3
        } finally {
            Stop-OktaSimulator $sim
        }
        Get-Process -Id $processId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $sim.Stopped | Should -BeTrue
        { Stop-OktaSimulator $sim } | Should -Not -Throw
    }

    It 'says where it looked when the simulator is missing' {
        { Start-OktaSimulator -Path (Join-Path $TestDrive 'nope') } | Should -Throw "*$TestDrive*nope*Build.ps1*"
    }
}
