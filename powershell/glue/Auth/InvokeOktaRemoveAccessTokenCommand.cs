using Okta.PowerShell.Auth;
using System.Management.Automation;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Commands.Client;

/// <summary>
/// Forgets the OAuth tokens serving the configuration, locally: no request is sent (the tokens stay valid at Okta
/// until they expire; Invoke-OktaRevokeAccessToken revokes them). An explicit AccessToken setting is cleared too.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OktaRemoveAccessToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class InvokeOktaRemoveAccessTokenCommand : PSCmdlet
{
    /// <summary>The named configuration (Set-OktaConfiguration -Name) to work on, instead of the current one.</summary>
    [Parameter]
    public string? Configuration { get; set; }

    protected override void ProcessRecord()
    {
        var configuration = OktaAuth.Resolve(this, Configuration);
        var session = OktaAuth.Session(this, configuration);
        if (!ShouldProcess("the OAuth tokens of this configuration (locally, no request)", "Forget")) return;
        var removed = OktaAuth.Meta(this, NativeCore.TokenRemove(session));
        var hadExplicit = configuration["AccessToken"] is { } token && token.ToString() is { Length: > 0 };
        if (hadExplicit) configuration["AccessToken"] = null;
        WriteVerbose(removed.GetProperty("removed").GetBoolean() || hadExplicit
            ? "The access token is forgotten: the following commands use the next credential of the configuration."
            : "There was no access token to forget.");
    }
}
