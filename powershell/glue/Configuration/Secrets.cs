using System;
using System.Net;
using System.Text.RegularExpressions;

namespace Okta.PowerShell.Configuration;

/// <summary>
/// The one place that decides what a secret looks like when shown: header names that carry
/// credentials, and the user:password@ part of URLs (in settings and in any message text).
/// </summary>
public static class Secrets
{
    /// <summary>What every secret is shown as.</summary>
    public const string Masked = "********";

    // scheme://userinfo@ — userinfo cannot contain '/', '@' or whitespace, so a path with an '@'
    // (/users/ada@example.com) after the host is not mistaken for one.
    private static readonly Regex UrlUserInfo = new(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^/\s@:]*)(?<password>:[^/\s@]*)?@",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>
    /// The text with the credentials of every URL in it masked: <c>http://admin:pw@proxy</c>
    /// becomes <c>http://admin:********@proxy</c>, and a lone <c>https://token@host</c> becomes
    /// <c>https://********@host</c>. Text without such URLs is returned as it is.
    /// </summary>
    public static string RedactUrls(string text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('@') || !text.Contains("://", StringComparison.Ordinal)) return text;
        return UrlUserInfo.Replace(text, match => match.Groups["password"].Success
            ? match.Groups["scheme"].Value + match.Groups["user"].Value + ":" + Masked + "@"
            : match.Groups["scheme"].Value + Masked + "@");
    }

    /// <summary>Whether a header's value is a credential (Authorization in any case, cookies, API keys, tokens).</summary>
    public static bool IsCredentialHeader(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return false;
        var lower = name.Trim().ToLowerInvariant();
        return lower.Contains("auth") || lower.Contains("cookie") || lower.Contains("token") || lower.Contains("key")
            || lower.Contains("secret") || lower.Contains("password") || lower.Contains("session");
    }

    /// <summary>A proxy as it may be shown: its address without credentials, and whether it has some.</summary>
    internal static string DescribeProxy(IWebProxy proxy) => proxy switch
    {
        WebProxy { Address: { } address } web => RedactUrls(address.OriginalString) + (web.Credentials is null ? string.Empty : " (credentials " + Masked + ")"),
        _ => proxy.GetType().Name,
    };
}
