using System;
using System.Text.Json;

namespace Okta.PowerShell.Json
{
    /// <summary>
    /// Raised when a response body is not JSON that ConvertFrom-Json would accept, or when its
    /// objects cannot become PSCustomObjects (empty or case-clashing keys, reserved member names).
    /// Derives from JsonException so callers can catch either.
    /// </summary>
    public sealed class OktaJsonParseException : JsonException
    {
        public OktaJsonParseException(string message, long? lineNumber = null, long? bytePositionInLine = null, Exception? innerException = null)
            : base(message, path: null, lineNumber, bytePositionInLine, innerException)
        {
        }
    }

    /// <summary>
    /// Raised when a request body cannot be turned into JSON: a SecureString, a cycle, or nesting
    /// deeper than the limit. Path says where in the value the problem is ("$.profile.tags[2]").
    /// </summary>
    public sealed class OktaJsonSerializationException : InvalidOperationException
    {
        public OktaJsonSerializationException(string message, string path, Exception? innerException = null)
            : base(message, innerException)
        {
            Path = path;
        }

        public string Path { get; }
    }
}
