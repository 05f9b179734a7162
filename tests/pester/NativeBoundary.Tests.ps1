# The C# <-> Rust boundary: panics, loading, buffers.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
}

Describe 'A panic in the Rust core' {
    It 'becomes a catchable OktaClientException of kind Internal' {
        $caught = $null
        try { [Okta.PowerShell.Diagnostics.NativeSelfTest]::Panic() } catch { $caught = $_.Exception.InnerException ?? $_.Exception }
        $caught | Should -BeOfType [Okta.PowerShell.OktaClientException]
        $caught.Kind | Should -Be 'Internal'
        $caught.Message | Should -Match 'self-test panic'
    }

    It 'leaves the pwsh process alive and prints nothing to the console' {
        $script = @"
Import-Module '$(Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1')'
try { [Okta.PowerShell.Diagnostics.NativeSelfTest]::Panic() } catch { 'caught' }
try { [Okta.PowerShell.Diagnostics.NativeSelfTest]::Panic() } catch { 'caught again' }
'alive'
"@
        $output = & dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0
        ($output | ForEach-Object { "$_" }) | Should -Be @('caught', 'caught again', 'alive')
    }
}

Describe 'The native library' {
    It 'is loaded from bin/runtimes/<rid>/native inside the module folder' {
        $module = Get-Module Okta.PowerShell
        $native = Get-ChildItem (Join-Path $module.ModuleBase 'bin/runtimes') -Recurse -File | Where-Object Name -Match 'okta_ffi'
        $native | Should -Not -BeNullOrEmpty
        $mapped = Get-Content "/proc/$PID/maps" -ErrorAction SilentlyContinue | Select-String 'okta_ffi'
        if ($IsLinux) { "$mapped" | Should -Match ([regex]::Escape($native[0].FullName)) }
    }
}
