using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Okta.PowerShell.Configuration;

/// <summary>
/// The configurations of one runspace: "default" (what Get-OktaConfiguration returns unless told otherwise) and any
/// named ones (Set-OktaConfiguration -Name prod), for scripts that talk to several orgs. Each is its own
/// configuration, so each gets its own connection pool and token cache in the core. Runspaces never see each other's.
/// </summary>
public sealed class NamedConfigurations
{
    public const string DefaultName = "default";

    private static readonly ConditionalWeakTable<Runspace, NamedConfigurations> PerRunspace = new();
    private static readonly NamedConfigurations NoRunspace = new();

    private readonly Dictionary<string, OktaConfiguration> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _pendingWarnings = new();

    private NamedConfigurations()
    {
        // Only the default configuration takes the okta.yaml / OKTA_CLIENT_* settings: they describe one org.
        _byName[DefaultName] = SettingSourcesReader.NewDefaultConfiguration(_pendingWarnings);
    }

    /// <summary>The configurations of the calling runspace.</summary>
    public static NamedConfigurations OfThisRunspace =>
        Runspace.DefaultRunspace is { } runspace ? PerRunspace.GetValue(runspace, _ => new NamedConfigurations()) : NoRunspace;

    /// <summary>The name Use-OktaConfiguration chose ("default" until then).</summary>
    public string CurrentName { get; private set; } = DefaultName;

    public OktaConfiguration Current => _byName[CurrentName];

    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>The configuration of that name, created empty when <paramref name="create"/>; null when it does not exist.</summary>
    public OktaConfiguration? Get(string? name, bool create = false)
    {
        if (string.IsNullOrWhiteSpace(name)) return Current;
        if (_byName.TryGetValue(name.Trim(), out var found)) return found;
        if (!create) return null;
        var created = new OktaConfiguration();
        _byName[name.Trim()] = created;
        return created;
    }

    /// <summary>The configuration a command was asked to use, or an error naming the parameter and the names that exist.</summary>
    public OktaConfiguration Resolve(string? name, string parameter) =>
        Get(name) ?? throw new ArgumentException(
            $"-{parameter}: there is no Okta configuration named '{name}'. Create it with Set-OktaConfiguration -Name {name} -BaseUrl …; existing: {string.Join(", ", _byName.Keys)}.",
            parameter);

    public void Use(string name)
    {
        Resolve(name, "Name");
        CurrentName = name.Trim();
    }

    /// <summary>Problems found in okta.yaml or OKTA_CLIENT_* (names only), shown once by the first command that asks.</summary>
    public void FlushWarnings(Cmdlet cmdlet)
    {
        if (_pendingWarnings.Count == 0) return;
        foreach (var warning in _pendingWarnings.ToArray()) cmdlet.WriteWarning(warning);
        _pendingWarnings.Clear();
    }
}

/// <summary>Tab completion of configuration names (-Configuration, Use-OktaConfiguration).</summary>
public sealed class ConfigurationNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
    {
        foreach (var name in NamedConfigurations.OfThisRunspace.Names)
        {
            if (name.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(name);
            }
        }
    }
}
