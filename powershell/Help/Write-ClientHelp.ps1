<#
.SYNOPSIS
Adds the MAML help of the hand-written commands (powershell/glue/Commands/Client) to the glue's help file.
.DESCRIPTION
The text comes from client-commands.json (written by people); the syntax and each parameter's type, position,
and pipeline binding are read from the built assembly, so the help cannot drift from the commands. Build.ps1 runs
this in a separate process (it imports the assembly).
.PARAMETER Assembly
The built Okta.PowerShell.dll.
.PARAMETER HelpFile
The MAML file to add to (bin/en-US/Okta.PowerShell.dll-Help.xml, a copy of the generated one).
.PARAMETER TextFile
client-commands.json (passed in: a script run as a job has no $PSScriptRoot).
#>
[CmdletBinding()]
Param(
    [Parameter(Mandatory)][string]$Assembly,
    [Parameter(Mandatory)][string]$HelpFile,
    [Parameter(Mandatory)][string]$TextFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$texts = (Get-Content $TextFile -Raw | ConvertFrom-Json -AsHashtable).commands
$module = Import-Module $Assembly -PassThru
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

function Text([string]$value) { [System.Security.SecurityElement]::Escape($value) }
function TypeName([type]$type) { if ($type -eq [System.Management.Automation.SwitchParameter]) { 'SwitchParameter' } else { $type.Name } }

$commands = Get-Command -Module $module.Name -CommandType Cmdlet |
    Where-Object { $_.ImplementingType.Namespace -eq 'Okta.PowerShell.Commands.Client' } | Sort-Object Name
$entries = [System.Text.StringBuilder]::new()
foreach ($command in $commands) {
    $text = $texts[$command.Name]
    if (-not $text) { throw "powershell/Help/client-commands.json has no help for $($command.Name)." }
    $verb, $noun = $command.Name -split '-', 2
    $null = $entries.Append("<command:command><command:details><command:name>$($command.Name)</command:name><maml:description><maml:para>$(Text $text.synopsis)</maml:para></maml:description><command:verb>$verb</command:verb><command:noun>$noun</command:noun></command:details><maml:description>")
    foreach ($para in @($text.description)) { $null = $entries.Append("<maml:para>$(Text $para)</maml:para>") }
    $null = $entries.Append('</maml:description><command:syntax>')
    foreach ($set in $command.ParameterSets) {
        $null = $entries.Append("<command:syntaxItem><maml:name>$($command.Name)</maml:name>")
        foreach ($parameter in $set.Parameters | Where-Object Name -NotIn $common) {
            $position = if ($parameter.Position -ge 0) { $parameter.Position } else { 'named' }
            $null = $entries.Append("<command:parameter required=`"$($parameter.IsMandatory.ToString().ToLowerInvariant())`" position=`"$position`"><maml:name>$($parameter.Name)</maml:name>")
            if ($parameter.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $null = $entries.Append("<command:parameterValue required=`"true`">$(TypeName $parameter.ParameterType)</command:parameterValue>")
            }
            $null = $entries.Append('</command:parameter>')
        }
        $null = $entries.Append('</command:syntaxItem>')
    }
    $null = $entries.Append('</command:syntax><command:parameters>')
    foreach ($parameter in $command.Parameters.Values | Where-Object Name -NotIn $common) {
        $description = $text.parameters[$parameter.Name]
        if (-not $description) { throw "powershell/Help/client-commands.json does not describe $($command.Name) -$($parameter.Name)." }
        $attribute = $parameter.ParameterSets.Values | Select-Object -First 1
        $pipeline = @(if ($attribute.ValueFromPipeline) { 'ByValue' }; if ($attribute.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
        $pipelineText = if ($pipeline) { "true ($($pipeline -join ', '))" } else { 'false' }
        $position = if ($attribute.Position -ge 0) { $attribute.Position } else { 'named' }
        $null = $entries.Append("<command:parameter required=`"$($attribute.IsMandatory.ToString().ToLowerInvariant())`" pipelineInput=`"$pipelineText`" position=`"$position`"><maml:name>$($parameter.Name)</maml:name><maml:description><maml:para>$(Text $description)</maml:para></maml:description><dev:type><maml:name>$(TypeName $parameter.ParameterType)</maml:name></dev:type></command:parameter>")
    }
    $null = $entries.Append('</command:parameters><command:examples>')
    $index = 0
    foreach ($example in @($text.examples)) {
        $index++
        $null = $entries.Append("<command:example><maml:title>Example $index</maml:title><dev:code>$(Text $example.code)</dev:code>")
        if ($example.remarks) { $null = $entries.Append("<dev:remarks><maml:para>$(Text $example.remarks)</maml:para></dev:remarks>") }
        $null = $entries.Append('</command:example>')
    }
    $null = $entries.Append("</command:examples></command:command>`n")
}
$unused = $texts.Keys | Where-Object { $_ -notin $commands.Name }
if ($unused) { throw "powershell/Help/client-commands.json describes commands that do not exist: $($unused -join ', ')" }

$maml = [System.IO.File]::ReadAllText($HelpFile)
$end = $maml.LastIndexOf('</helpItems>')
if ($end -lt 0) { throw "$HelpFile is not a MAML help file." }
[System.IO.File]::WriteAllText($HelpFile, $maml.Substring(0, $end) + $entries.ToString() + $maml.Substring($end))
