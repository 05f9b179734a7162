# Help for every command: the generated API and model commands (MAML), the escape hatch, the hand-written commands,
# and the about topic that describes what every API command shares.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $root = Get-RepositoryRoot
    $script:inventory = Get-Content (Join-Path $root 'powershell/Generated/inventory.g.json') -Raw | ConvertFrom-Json
    $script:manifest = Import-PowerShellDataFile (Join-Path $root 'Okta.PowerShell.psd1')
    # described once, in about_Okta.PowerShell (keeps the help file that Get-Help loads whole small)
    $script:shared = 'Uri', 'WithHttpInfo', 'IncludeNullValues', 'All', 'ThrottleLimit', 'Configuration'
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Help' {
    It 'describes every API command, the escape hatch and every function: synopsis, each parameter, an example' {
        $names = @($inventory.api.name) + 'Invoke-OktaApiRequest' + @(Get-HandWrittenCommandName)
        $problems = foreach ($name in $names) {
            $help = Get-Help $name -Full
            if (-not $help.Synopsis -or $help.Synopsis -match "^\s*$([regex]::Escape($name))\s") { "$name has no synopsis"; continue }
            if (-not $help.examples) { "$name has no example" }
            if ($help.syntax -and ($help.syntax | Out-String) -notmatch [regex]::Escape($name)) { "$name has no syntax" }
            foreach ($parameter in (Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $common -and $_ -notin $shared }) {
                $described = $help.parameters.parameter | Where-Object name -eq $parameter
                if (-not ($described.description | Out-String).Trim()) { "$name -$parameter is not described" }
            }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'gives every builder and the converter a synopsis' {
        $names = @($inventory.models.builder) + 'ConvertFrom-OktaJson'
        $problems = foreach ($name in $names) {
            $synopsis = (Get-Help $name).Synopsis
            if (-not $synopsis -or $synopsis -match "^\s*$([regex]::Escape($name))\s") { "$name has no synopsis" }
        }
        $problems | Should -BeNullOrEmpty
        (Get-Help ConvertFrom-OktaJsonToUser).Name | Should -Be 'ConvertFrom-OktaJson'
    }

    It 'has about_Okta.PowerShell, which describes the parameters every API command shares' {
        $about = Get-Help about_Okta.PowerShell | Out-String
        foreach ($parameter in $shared) { $about | Should -Match "-$parameter" }
        $about | Should -Match 'WhatIf'
    }

    It 'offers enum values by Tab completion, without refusing new ones' {
        $completion = TabExpansion2 -inputScript 'Invoke-OktaListPolicies -Type OKTA_S' -cursorColumn 35
        $completion.CompletionMatches.ListItemText | Should -Contain 'OKTA_SIGN_ON'
        (Get-Command Invoke-OktaListPolicies).Parameters['Type'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Should -BeNullOrEmpty
    }
}
