# The drop-in contract: every command of the official module 2.0.2 resolves here with the same parameter
# names, positions and pipeline binding; every operation of the current spec has exactly one command.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $root = Get-RepositoryRoot
    $script:compat = (Get-Content (Join-Path $root 'api/okta-powershell-cli-2.0.2-commands.json') -Raw | ConvertFrom-Json -AsHashtable).commands
    $script:facts = Get-Content (Join-Path $root 'api/okta-management.facts.json') -Raw | ConvertFrom-Json
    $script:inventory = Get-Content (Join-Path $root 'powershell/Generated/inventory.g.json') -Raw | ConvertFrom-Json
    $script:officialExports = @(
        'Set-OktaConfigurationAccessToken', 'Set-OktaConfigurationMaxRetries', 'Set-OktaConfigurationRequestTimeout',
        'Set-OktaConfigurationApiKey', 'Set-OktaConfigurationApiKeyPrefix', 'Set-OktaConfigurationDefaultHeader',
        'Get-OktaHostSetting', 'Get-OktaUrlFromHostSetting', 'Set-OktaConfigurationHttpSigning', 'Get-OktaConfigurationHttpSigning',
        'ShouldRetry', 'CalculateDelay', 'AddRetryHeaders', 'Invoke-ParseAbsoluteUri', 'Remove-NullProperties',
        'Remove-NullPropertiesFromHashMap', 'Remove-NullPropertiesFromArray', 'Get-OktaConfiguration', 'Set-OktaConfiguration')

    function Get-ParameterAttribute($command, $name) {
        $command.Parameters[$name].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
    }
}

Describe 'Every command of the official module 2.0.2' {
    It 'resolves, with every parameter name, position and pipeline binding of the official command' {
        $problems = [System.Collections.Generic.List[string]]::new()
        foreach ($name in $compat.Keys) {
            $command = Get-Command $name -ErrorAction SilentlyContinue
            if (-not $command) { $problems.Add("$name is missing"); continue }
            foreach ($parameter in $compat[$name].params) {
                if (-not $command.Parameters.ContainsKey($parameter.name)) { $problems.Add("$name -$($parameter.name) is missing"); continue }
                $attributes = @(Get-ParameterAttribute $command $parameter.name)
                if ($null -ne $parameter.position -and -not ($attributes | Where-Object Position -eq $parameter.position)) {
                    $problems.Add("$name -$($parameter.name) is not at position $($parameter.position)")
                }
                if ($parameter.pipeline -and -not ($attributes | Where-Object ValueFromPipeline)) {
                    $problems.Add("$name -$($parameter.name) does not take pipeline input")
                }
                if ($parameter.pipelineByPropertyName -and -not ($attributes | Where-Object ValueFromPipelineByPropertyName)) {
                    $problems.Add("$name -$($parameter.name) does not bind by property name")
                }
            }
        }
        $problems | Should -BeNullOrEmpty
        $compat.Count | Should -Be 1047
    }

    It 'keeps the helper functions and the ConvertFrom-OktaJsonTo* converters of the official manifest' {
        foreach ($name in $officialExports) { Get-Command $name -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because $name }
        foreach ($builder in $compat.Keys | Where-Object { $_ -like 'Initialize-Okta*' }) {
            $converter = $builder -replace '^Initialize-Okta', 'ConvertFrom-OktaJsonTo'
            Get-Command $converter -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because $converter
        }
    }

    It 'builds the same JSON properties from the same Initialize-* parameters' {
        $problems = foreach ($name in $compat.Keys | Where-Object { $_ -like 'Initialize-Okta*' }) {
            $expected = $compat[$name].jsonProperties
            $ours = ($inventory.models | Where-Object builder -eq $name).params
            foreach ($parameter in $expected.get_Keys()) {   # .Keys would read a property named Keys
                $mine = $ours | Where-Object name -eq $parameter
                if ($mine.json -ne $expected[$parameter]) { "$name -$parameter sets '$($mine.json)', not '$($expected[$parameter])'" }
            }
        }
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'The current specification' {
    It 'maps every one of its operations to exactly one command' {
        $byOperation = $inventory.api | Group-Object operationId -AsHashTable
        foreach ($operation in $facts.operations) {
            @($byOperation[$operation.operationId]).Count | Should -Be 1 -Because $operation.operationId
        }
        $facts.operations.Count | Should -Be 732
    }

    It 'has a builder for every object schema' {
        $builders = @($inventory.models.schema)
        foreach ($schema in $facts.schemas | Where-Object { $_.type -eq 'object' }) {
            $builders | Should -Contain ($schema.name.Substring(0, 1).ToUpper() + $schema.name.Substring(1))
        }
    }

    It 'offers every write with -WhatIf and -Confirm, and never asks by default (ConfirmImpact Medium)' {
        foreach ($entry in $inventory.api | Where-Object writes) {
            $command = Get-Command $entry.name
            $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue -Because $entry.name
            $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
                Should -Be 'Medium' -Because $entry.name
        }
    }

    It 'binds the id of piped objects to the resource a command acts on' {
        foreach ($entry in $inventory.api) {
            $target = $entry.params | Where-Object idAlias
            if (-not $target) { continue }
            (Get-Command $entry.name).Parameters[$target.name].Aliases | Should -Contain 'id' -Because $entry.name
        }
    }
}
