using System.Collections;
using System.Management.Automation;
using Okta.PowerShell.Commands;

namespace Okta.PowerShell.Generated;

/// <summary>
/// `Initialize-OktaUserCredentials -Password 'secret'`: the official README passes the password as a plain
/// string, which Okta rejects (it expects `{"value": "..."}`). A string (or SecureString) given for a password
/// becomes that object; an object passes through as it is.
/// </summary>
public sealed partial class InitializeOktaUserCredentialsCommand
{
    protected override object? Adjust(OktaProperty property, object? value)
    {
        if (property.Json != "password") return value;
        var plain = (value is PSObject wrapped ? wrapped.BaseObject : value) switch
        {
            string text => text,
            System.Security.SecureString secure => new System.Net.NetworkCredential(string.Empty, secure).Password,
            _ => null,
        };
        return plain is null ? value : new PSObject(new Hashtable { ["value"] = plain });
    }
}
