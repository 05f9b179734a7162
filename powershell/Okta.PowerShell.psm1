# Okta.PowerShell — the script half of the module.
#   Client/  configuration commands (hand-written)
#   Api/     one thin function per Management API operation, all calling Invoke-OktaOperation
#            (the compiled invoker in bin/Okta.PowerShell.dll)
#   Model/   Initialize-Okta<Model> commands that build request bodies
# Files are dot-sourced in a fixed order; keep the list short, import time is a budget.
foreach ($file in @(
        'Client/Configuration.ps1'
        'Api/User.ps1'
        'Model/User.ps1'
    )) {
    . (Join-Path $PSScriptRoot $file)
}
