using System;
using System.Management.Automation;
using System.Text.Json;
using Okta.PowerShell.Commands;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Auth;

/// <summary>What the auth cmdlets share: the configuration's session, and calls to the core whose errors become error records.</summary>
internal static class OktaAuth
{
    /// <summary>The configuration a command works on: the one named by -Configuration, else the runspace's current one.</summary>
    internal static OktaConfiguration Resolve(PSCmdlet cmdlet, string? name)
    {
        try
        {
            return NamedConfigurations.OfThisRunspace.Resolve(name, "Configuration");
        }
        catch (ArgumentException e)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(e, "UnknownConfiguration", ErrorCategory.InvalidArgument, name));
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    /// <summary>The core's session of a configuration, which okta-ffi's auth exports take.</summary>
    internal static NativeSession Session(PSCmdlet cmdlet, OktaConfiguration configuration)
    {
        try
        {
            return configuration.Session();
        }
        catch (OktaClientException e)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(e, "Okta" + e.Kind, ErrorCategory.InvalidArgument, e.Detail));
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    /// <summary>The meta of an answer (cloned: the native buffer is freed here), or the terminating error it carries.</summary>
    internal static JsonElement Meta(PSCmdlet cmdlet, NativeResponse answer)
    {
        using (answer)
        {
            using var meta = JsonDocument.Parse(answer.Meta.ToArray());
            var root = meta.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                if (error.GetProperty("kind").GetString() == "cancelled") throw new PipelineStoppedException();
                cmdlet.ThrowTerminatingError(ErrorRecords.From(error, answer.Body));
            }
            return root.Clone();
        }
    }

    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static long Number(JsonElement element, string name, long fallback) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : fallback;

    /// <summary>
    /// A message for the person at the terminal, as Write-Host writes it: on the Information stream with the PSHOST
    /// tag, so it shows at the host by default and <c>6&gt;&amp;1</c> or -InformationVariable capture it.
    /// </summary>
    internal static void Tell(Cmdlet cmdlet, string message) =>
        cmdlet.WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST", "Okta.SignIn" });
}
