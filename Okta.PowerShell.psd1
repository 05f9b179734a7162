@{
    # Both halves are laid out by Build.ps1 under bin/: the script commands joined into one psm1 (from
    # powershell/Client) and the compiled assembly (glue + generated cmdlets) with, beside it under
    # runtimes/<rid>/native, the Rust core.
    RootModule           = 'bin/Okta.PowerShell.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c8a52-3f7e-4c7e-9a41-2d5b8e0f1c93'
    Author               = 'Okta.PowerShell contributors'
    CompanyName          = 'Okta.PowerShell contributors'
    Copyright            = '(c) Okta.PowerShell contributors. Apache-2.0.'
    Description          = 'Manage an Okta org (users, groups, apps, policies, logs, hooks) from PowerShell, with a fast Rust HTTP core. Drop-in compatible with the official Okta.PowerShell 2.x command names.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    NestedModules        = @('bin/Okta.PowerShell.dll', 'bin/Okta.PowerShell.Models.dll')
    # The script half: configuration, the simulator, and the official module's helper functions.
    FunctionsToExport    = @(
        'Get-OktaConfiguration', 'Set-OktaConfiguration', 'Start-OktaSimulator', 'Stop-OktaSimulator',
        'Set-OktaConfigurationAccessToken', 'Set-OktaConfigurationMaxRetries', 'Set-OktaConfigurationRequestTimeout',
        'Set-OktaConfigurationApiKey', 'Set-OktaConfigurationApiKeyPrefix', 'Set-OktaConfigurationDefaultHeader',
        'Get-OktaHostSetting', 'Get-OktaUrlFromHostSetting', 'Set-OktaConfigurationHttpSigning',
        'Get-OktaConfigurationHttpSigning', 'ShouldRetry', 'CalculateDelay', 'AddRetryHeaders',
        'Invoke-ParseAbsoluteUri', 'Remove-NullProperties', 'Remove-NullPropertiesFromHashMap',
        'Remove-NullPropertiesFromArray',
        'Connect-Okta'
    )
    # The compiled half: every generated API, model and converter command (powershell/Generated) and
    # Invoke-OktaApiRequest. One pattern per verb: a long literal list costs ~250 ms at import, patterns
    # almost nothing. The assembly has no other public cmdlet, so the patterns export exactly the surface
    # (tests/pester/Inventory.Tests.ps1 checks it against powershell/Generated/inventory.g.json).
    CmdletsToExport      = @(
        'Add-Okta*', 'Clear-Okta*', 'ConvertFrom-OktaJson', 'Copy-Okta*', 'Get-Okta*', 'Grant-Okta*', 'Hide-Okta*',
        'Initialize-Okta*', 'Invoke-Okta*', 'New-Okta*', 'Publish-Okta*', 'Remove-Okta*', 'Rename-Okta*',
        'Reset-Okta*', 'Resume-Okta*', 'Revoke-Okta*', 'Send-Okta*', 'Set-Okta*', 'Show-Okta*', 'Start-Okta*',
        'Stop-Okta*', 'Submit-Okta*', 'Suspend-Okta*', 'Test-Okta*', 'Unlock-Okta*', 'Update-Okta*'
    )
    # Aliases: every ConvertFrom-OktaJsonTo<Schema> (of ConvertFrom-OktaJson), and the current specification's
    # names of renamed operations (where they use an approved verb).
    AliasesToExport      = @('*-Okta*')
    FormatsToProcess     = @('bin/Okta.PowerShell.format.ps1xml')
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Okta', 'Identity', 'IAM', 'SSO', 'Management', 'PSEdition_Core', 'Linux', 'MacOS', 'Windows')
            LicenseUri = 'https://www.apache.org/licenses/LICENSE-2.0'
        }
    }
}
