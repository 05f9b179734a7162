using Okta.PowerShell.Auth;
using System.Management.Automation;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Commands.Client;

/// <summary>
/// Revokes the OAuth tokens serving the configuration (RFC 7009, POST /oauth2/v1/revoke with token_type_hint): the
/// access token and the refresh token. They are forgotten at once, whatever the server answers: neither is sent again.
/// An AccessToken setting (with the ClientId it was issued to) is revoked and cleared instead, as the official module does.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OktaRevokeAccessToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class InvokeOktaRevokeAccessTokenCommand : PSCmdlet
{
    /// <summary>The named configuration (Set-OktaConfiguration -Name) to work on, instead of the current one.</summary>
    [Parameter]
    public string? Configuration { get; set; }

    protected override void ProcessRecord()
    {
        var configuration = OktaAuth.Resolve(this, Configuration);
        var session = OktaAuth.Session(this, configuration);
        var status = OktaAuth.Meta(this, NativeCore.TokenStatus(session));
        // the official module's shape: an AccessToken setting and the ClientId it was issued to
        var explicitToken = !string.IsNullOrWhiteSpace(configuration["AccessToken"]?.ToString())
            && !string.IsNullOrWhiteSpace(configuration["ClientId"]?.ToString());
        if (!status.GetProperty("signedIn").GetBoolean() && !explicitToken)
        {
            WriteVerbose("There is no OAuth token of this configuration to revoke (no sign-in, no client-credentials token yet).");
            return;
        }
        var org = Secrets.RedactUrls(configuration["BaseUrl"]?.ToString() ?? string.Empty);
        var target = $"the OAuth access and refresh tokens of client {configuration["ClientId"]} at {org}";
        if (!ShouldProcess(target, "Revoke (POST /oauth2/v1/revoke)")) return;
        var revoked = OktaAuth.Meta(this, NativeCore.TokenRevoke(session));
        if (explicitToken) configuration["AccessToken"] = null;
        WriteVerbose(revoked.GetProperty("revoked").GetBoolean()
            ? "Revoked: the tokens are forgotten and never sent again; sign in again with Invoke-OktaEstablishAccessToken."
            : "There was no OAuth token to revoke.");
    }
}
