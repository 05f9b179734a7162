using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Okta.PowerShell.Commands;

/// <summary>
/// Tab completion of the values an API parameter or model property knows (from the facts). Not a ValidateSet:
/// Okta adds values the server accepts before our data knows them.
/// </summary>
public sealed class OktaEnumCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var name = commandAst?.GetCommandName() ?? commandName;
        if (!OktaCatalog.EnumValues.TryGetValue(name + "|" + parameterName, out var values)
            && !OktaCatalog.EnumValues.TryGetValue(commandName + "|" + parameterName, out values))
        {
            yield break;
        }
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (var value in values)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult("'" + value + "'", value, CompletionResultType.ParameterValue, value);
            }
        }
    }
}
