using Okta.PowerShell.Auth;
using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Commands.Client;

/// <summary>
/// Signs an admin in with OAuth 2.0, for the configuration's BaseUrl, ClientId and Scope: by default the device
/// authorization grant (RFC 8628: a code to confirm in any browser), with -Interactive the authorization code grant
/// with PKCE on a loopback redirect. The token then authenticates every command of this configuration (Bearer or
/// DPoP), renewed with the refresh token when the scope has offline_access. No token is ever written to a stream.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OktaEstablishAccessToken", DefaultParameterSetName = "Device")]
[OutputType(typeof(void))]
public sealed class InvokeOktaEstablishAccessTokenCommand : PSCmdlet
{
    /// <summary>The named configuration (Set-OktaConfiguration -Name) to work on, instead of the current one.</summary>
    [Parameter]
    public string? Configuration { get; set; }

    /// <summary>Device flow: also opens verification_uri_complete in the default browser.</summary>
    [Parameter(ParameterSetName = "Device")]
    public SwitchParameter OpenBrowser { get; set; }

    /// <summary>Authorization code + PKCE in a browser, redirected to http://127.0.0.1:&lt;port&gt;/callback.</summary>
    [Parameter(ParameterSetName = "Interactive", Mandatory = true)]
    public SwitchParameter Interactive { get; set; }

    /// <summary>-Interactive without starting a browser: the URL to open is written to the Information stream.</summary>
    [Parameter(ParameterSetName = "Interactive")]
    public SwitchParameter NoBrowser { get; set; }

    // The request id of the wait in progress (0 = none), for StopProcessing.
    private ulong _waiting;

    /// <summary>Ctrl+C: stop polling (or listening) at once.</summary>
    protected override void StopProcessing()
    {
        var id = Volatile.Read(ref _waiting);
        if (id != 0) NativeCore.Cancel(id);
    }

    protected override void ProcessRecord()
    {
        var configuration = OktaAuth.Resolve(this, Configuration);
        var session = OktaAuth.Session(this, configuration);
        var status = OktaAuth.Meta(this, NativeCore.TokenStatus(session));
        if (OktaAuth.Text(status, "mode") is "static" or "clientCredentials"
            && !string.IsNullOrWhiteSpace(configuration["ClientId"]?.ToString())
            && !string.IsNullOrWhiteSpace(configuration["Scope"]?.ToString()))
        {
            WriteWarning("This configuration's AccessToken, AuthorizationMode SSWS or PrivateKey takes precedence over a sign-in: "
                + "the following commands will not use it until that setting is cleared.");
        }
        var started = OktaAuth.Meta(this, Interactive ? NativeCore.InteractiveStart(session) : NativeCore.DeviceStart(session));
        var handle = started.GetProperty("handle").GetUInt64();
        var waited = false;
        try
        {
            TimeSpan lifetime;
            if (Interactive)
            {
                var url = OktaAuth.Text(started, "authorizeUrl")!;
                lifetime = TimeSpan.FromSeconds(OktaAuth.Number(started, "timeout", 300));
                if (NoBrowser || !TryOpenBrowser(url))
                {
                    OktaAuth.Tell(this, $"To sign in, open this URL in a browser on this computer: {url}");
                }
                else
                {
                    OktaAuth.Tell(this, $"Sign in with the browser that just opened. If none did, open: {url}");
                }
                WriteVerbose($"Waiting for the browser to return to {OktaAuth.Text(started, "redirectUri")} (at most {lifetime.TotalSeconds:n0} s).");
            }
            else
            {
                var code = OktaAuth.Text(started, "userCode");
                var complete = OktaAuth.Text(started, "verificationUriComplete");
                var plain = OktaAuth.Text(started, "verificationUri");
                lifetime = TimeSpan.FromSeconds(OktaAuth.Number(started, "expiresIn", 600));
                OktaAuth.Tell(this, complete is not null
                    ? $"To sign in, open {complete} in a browser and check that it shows the code {code}."
                    : $"To sign in, open {plain} in a browser and enter the code {code}.");
                OktaAuth.Tell(this, $"Waiting for the sign-in (the code expires in {lifetime.TotalMinutes:n0} min; Ctrl+C stops waiting).");
                if (OpenBrowser && !TryOpenBrowser(complete ?? plain!))
                {
                    WriteWarning("No browser could be opened here: open the URL above on any device.");
                }
                WriteVerbose($"Polling the token endpoint every {OktaAuth.Number(started, "interval", 5)} s, as the server asked.");
            }
            waited = true;
            var done = Wait(handle, lifetime);
            WriteVerbose(done.TryGetProperty("dpop", out var dpop) && dpop.GetBoolean()
                ? "Signed in: the following commands send the DPoP-bound token of this sign-in."
                : "Signed in: the following commands send the token of this sign-in.");
        }
        finally
        {
            if (!waited) NativeCore.SignInAbandon(handle);
        }
    }

    /// <summary>Waits on a worker thread so the pipeline thread can show a countdown and hear Ctrl+C.</summary>
    private System.Text.Json.JsonElement Wait(ulong handle, TimeSpan lifetime)
    {
        var id = NativeCore.NewRequestId();
        Volatile.Write(ref _waiting, id);
        var wait = Task.Run(() => NativeCore.SignInWait(handle, id));
        var progress = new ProgressRecord(4, MyInvocation.MyCommand.Name, "Waiting for the sign-in");
        var ends = DateTime.UtcNow + lifetime;
        var consumed = false;
        try
        {
            while (!wait.Wait(500))
            {
                var left = ends - DateTime.UtcNow;
                if (left < TimeSpan.Zero) left = TimeSpan.Zero;
                progress.SecondsRemaining = (int)left.TotalSeconds;
                progress.StatusDescription = $"{left.TotalSeconds:n0} s left";
                WriteProgress(progress);
            }
            consumed = true;
            return OktaAuth.Meta(this, wait.Result);
        }
        finally
        {
            Volatile.Write(ref _waiting, 0UL);
            if (!consumed)
            {
                // stopped while waiting: end the wait and free its answer when it comes
                NativeCore.Cancel(id);
                wait.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
            }
            progress.RecordType = ProgressRecordType.Completed;
            try
            {
                WriteProgress(progress);
            }
            catch (Exception e) when (e is PipelineStoppedException or InvalidOperationException)
            {
                // the pipeline is ending: nothing left to report to
            }
        }
    }

    private bool TryOpenBrowser(string url)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
            return true;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            WriteVerbose($"No browser could be started ({e.GetType().Name}).");
            return false;
        }
    }
}
