using Pds.Core.Syntax;
using Pds.Core.Xrpc;

namespace Pds.Core.Services;

/// <summary>Which handles this PDS accepts: valid syntax, and under a service domain one short label.</summary>
public static class HandleRules
{
    public const int MinLabel = 3;
    public const int MaxLabel = 18;

    public static Handle Normalize(string input)
    {
        if (!Handle.TryParse(input.Trim(), out var handle, out var error))
        {
            throw XrpcException.BadRequest("InvalidHandle", $"Input/handle must be a valid handle: {error}");
        }
        if (handle.IsDisallowedTld)
        {
            throw XrpcException.BadRequest("InvalidHandle", "Handle TLD is invalid or disallowed");
        }
        return handle;
    }

    /// <summary>The service domain the handle falls under, or null for an external handle.</summary>
    public static string? ServiceDomain(Handle handle, IReadOnlyList<string> domains)
    {
        var text = handle.ToString();
        var domain = domains.FirstOrDefault(d => text.EndsWith(d, StringComparison.Ordinal) && text.Length > d.Length);
        if (domain is null)
        {
            return null;
        }
        var label = text[..^domain.Length];
        if (label.Contains('.', StringComparison.Ordinal))
        {
            throw XrpcException.BadRequest("InvalidHandle", "Invalid characters in handle");
        }
        if (label.Length < MinLabel)
        {
            throw XrpcException.BadRequest("InvalidHandle", "Handle too short");
        }
        if (label.Length > MaxLabel)
        {
            throw XrpcException.BadRequest("InvalidHandle", "Handle too long");
        }
        return domain;
    }
}
