using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.App.Bsky.Actor;

public sealed class PutPreferences : IXrpcMethod
{
    public const int MaxBytes = 512 * 1024;

    public string Nsid => "app.bsky.actor.putPreferences";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth();
        var body = await x.ReadJsonAsync();
        if (!body.TryGetProperty("preferences", out var prefs) || prefs.ValueKind != JsonValueKind.Array)
        {
            throw XrpcException.InvalidRequest("Input must have the property \"preferences\"");
        }
        foreach (var p in prefs.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("$type", out var t) || t.ValueKind != JsonValueKind.String
                || !(t.GetString() ?? "").StartsWith("app.bsky.", StringComparison.Ordinal))
            {
                throw XrpcException.InvalidRequest("Some preferences are not in the app.bsky namespace");
            }
            if (!auth.IsPrivileged && t.GetString() == "app.bsky.actor.defs#personalDetailsPref")
            {
                throw XrpcException.InvalidRequest("Do not have authorization to set preferences");
            }
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(prefs);
        if (bytes.Length > MaxBytes)
        {
            throw XrpcException.PayloadTooLarge("preferences too large");
        }
        await x.Service<IPreferenceStore>().PutAsync(auth.Did, GetPreferences.Scope, bytes, x.Aborted);
        await x.WriteOkAsync();
    }
}
