using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Okta.PowerShell.Internal;

namespace Okta.PowerShell.Configuration;

/// <summary>
/// The PrivateKey setting in the one text form okta-core parses: PEM (PKCS#1, PKCS#8, SEC1) or a private JWK as
/// JSON. Accepted: that text itself, the path of a file holding it, an RSA or ECDsa object, a certificate with
/// its private key, or a JWK as a hashtable / PSCustomObject. Messages never contain the key or any part of it.
/// </summary>
internal static class PrivateKeyText
{
    internal static string? Normalize(object? value)
    {
        var raw = PSValues.Unwrap(value);
        switch (raw)
        {
            case null:
                return null;
            case SecureString secure:
                return FromText(new NetworkCredential(string.Empty, secure).Password);
            case string text:
                return FromText(text);
            case FileInfo file:
                return FromFile(file.FullName);
            case RSA rsa:
                return Export(() => rsa.ExportPkcs8PrivateKeyPem(), "RSA");
            case ECDsa ec:
                return Export(() => ec.ExportPkcs8PrivateKeyPem(), "ECDsa");
            case X509Certificate2 certificate:
                using (var rsaKey = certificate.GetRSAPrivateKey())
                using (var ecKey = certificate.GetECDsaPrivateKey())
                {
                    if (rsaKey is not null) return Export(() => rsaKey.ExportPkcs8PrivateKeyPem(), "certificate's RSA");
                    if (ecKey is not null) return Export(() => ecKey.ExportPkcs8PrivateKeyPem(), "certificate's ECDsa");
                }
                throw Problem("the certificate has no private key (or it cannot be used here)");
            case IDictionary table:
                return JwkJson(table);
            case PSCustomObject:
                // ConvertFrom-Json of a JWK file
                var jwk = new Hashtable(StringComparer.OrdinalIgnoreCase);
                foreach (var property in PSObject.AsPSObject(value!).Properties) jwk[property.Name] = property.Value;
                return JwkJson(jwk);
            default:
                throw Problem($"a {raw.GetType().Name} is not a private key; give PEM text, a file path, an RSA or ECDsa object, or a JWK");
        }
    }

    private static string FromText(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return trimmed;
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal) || trimmed.StartsWith('{')) return trimmed;
        // a single line that is not PEM or JSON can only be a path; never repeat it if it is not one (it may be a mangled key)
        if (trimmed.Contains('\n') || trimmed.Length > 4096)
        {
            throw Problem("it is neither PEM text (-----BEGIN ... PRIVATE KEY-----), a JWK in JSON, nor a file path");
        }
        var path = Resolve(trimmed);
        if (!File.Exists(path))
        {
            throw Problem("it is neither PEM text (-----BEGIN ... PRIVATE KEY-----), a JWK in JSON, nor the path of a file that exists");
        }
        return FromFile(path);
    }

    private static string FromFile(string path)
    {
        string content;
        try
        {
            content = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Problem($"the file '{path}' could not be read ({e.GetType().Name})");
        }
        if (content.StartsWith("-----BEGIN", StringComparison.Ordinal) || content.StartsWith('{')) return content;
        throw Problem($"the file '{path}' holds neither PEM text nor a JWK in JSON");
    }

    /// <summary>A relative path is relative to PowerShell's current location, as for any cmdlet.</summary>
    private static string Resolve(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        if (path.StartsWith("~", StringComparison.Ordinal))
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/', '\\'));
        }
        try
        {
            if (Runspace.DefaultRunspace?.SessionStateProxy?.Path?.CurrentFileSystemLocation?.ProviderPath is { Length: > 0 } here)
            {
                return Path.Combine(here, path);
            }
        }
        catch (Exception e) when (e is PSInvalidOperationException or InvalidOperationException)
        {
            // no usable runspace on this thread: fall back to the process's directory
        }
        return Path.GetFullPath(path);
    }

    private static string Export(Func<string> export, string what)
    {
        try
        {
            return export();
        }
        catch (CryptographicException)
        {
            throw Problem($"the {what} key's private part cannot be exported (a key marked non-exportable, or a public key only)");
        }
    }

    /// <summary>A JWK given as a table: its members as JSON strings (numbers and booleans kept as they are).</summary>
    private static string JwkJson(IDictionary table)
    {
        if (!table.Contains("kty")) throw Problem("the JWK has no 'kty' (RSA or EC)");
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (DictionaryEntry entry in table)
            {
                var name = Convert.ToString(PSValues.Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                switch (PSValues.Unwrap(entry.Value))
                {
                    case null:
                        json.WriteNull(name);
                        break;
                    case bool flag:
                        json.WriteBoolean(name, flag);
                        break;
                    case IEnumerable list and not string:
                        json.WriteStartArray(name);
                        foreach (var item in list) json.WriteStringValue(Convert.ToString(PSValues.Unwrap(item), System.Globalization.CultureInfo.InvariantCulture));
                        json.WriteEndArray();
                        break;
                    case var other:
                        json.WriteString(name, Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static OktaClientException Problem(string why) =>
        new(OktaClientErrorKind.Configuration, "The configuration setting PrivateKey is not usable: " + why + ".", "PrivateKey");
}
